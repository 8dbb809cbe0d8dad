//! Writing a large report as it is rendered: its items (rules, flows, findings) are rendered in
//! small chunks on every core and handed to one sink in page order, each chunk's buffer used
//! again once written, so that a report of any size is never held whole (its memory is a few
//! chunks per thread, not the page).

use std::io;
use std::sync::mpsc;

/// Items per chunk: about 100 to 300 KB of a report's markup.
const CHUNK: usize = 64;

/// Buffers each rendering thread uses: the two that may wait for the writer, the one being
/// written and the one being rendered.
const BUFFERS: usize = 4;

/// Chunks below this many are rendered on the calling thread alone.
const CHUNKS_PER_THREAD: usize = 4;

/// A sink of text written in page order.
pub(crate) type Sink<'s> = dyn FnMut(&str) -> io::Result<()> + 's;

/// How many threads a report is rendered on: the available cores, at most 8.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Renders `items` with `render` and hands the text to `sink` in their order, as one pass
/// over them would write it: chunk `k` of [`CHUNK`] items is rendered on thread `k % threads`
/// (at most `threads`, one for a few chunks) while the calling thread writes the chunks before
/// it. A sink's error stops the rendering and is returned.
pub(crate) fn stream<T: Sync>(
    items: &[T],
    threads: usize,
    render: impl Fn(&T, &mut String) + Sync,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let chunks: Vec<&[T]> = items.chunks(CHUNK).collect();
    let threads = threads
        .max(1)
        .min(chunks.len().div_ceil(CHUNKS_PER_THREAD).max(1));
    if threads == 1 {
        let mut buf = String::new();
        for chunk in chunks {
            buf.clear();
            for item in chunk {
                render(item, &mut buf);
            }
            sink(&buf)?;
        }
        return Ok(());
    }
    let render = &render;
    std::thread::scope(|s| {
        let mut filled = Vec::with_capacity(threads);
        let mut spare = Vec::with_capacity(threads);
        for t in 0..threads {
            // At most two rendered chunks wait per thread; written buffers come back.
            let (tx, rx) = mpsc::sync_channel::<String>(2);
            let (back_tx, back_rx) = mpsc::channel::<String>();
            let mine: Vec<&[T]> = chunks.iter().skip(t).step_by(threads).copied().collect();
            s.spawn(move || {
                // At most `BUFFERS` buffers per thread, each used again once written: a
                // thread that is ahead of the writer waits for one to come back instead of
                // taking a new one (fresh memory, grown again by doubling, costs more than
                // the rendering on some systems).
                let mut made = 0;
                for chunk in mine {
                    let mut buf = match back_rx.try_recv() {
                        Ok(buf) => buf,
                        Err(_) if made < BUFFERS => {
                            made += 1;
                            String::new()
                        }
                        Err(_) => match back_rx.recv() {
                            Ok(buf) => buf,
                            // The writer stopped (a sink error): nothing more is wanted.
                            Err(_) => return,
                        },
                    };
                    buf.clear();
                    for item in chunk {
                        render(item, &mut buf);
                    }
                    if tx.send(buf).is_err() {
                        // The writer stopped (a sink error): nothing more is wanted.
                        return;
                    }
                }
            });
            filled.push(rx);
            spare.push(back_tx);
        }
        for k in 0..chunks.len() {
            let t = k % threads;
            // A thread that stopped early panicked: the scope re-raises its panic on return.
            let Ok(buf) = filled[t].recv() else {
                return Ok(());
            };
            sink(&buf)?;
            let _ = spare[t].send(buf);
        }
        Ok(())
    })
}

/// A sink that holds back the line breaks at the end of what it was given, and at the end
/// writes one if there were any: the text `while text.ends_with("\n\n") { text.pop(); }`
/// leaves of everything written, without holding it.
pub(crate) struct FinalBreaks<'a, 's> {
    sink: &'a mut Sink<'s>,
    held: usize,
}

impl<'a, 's> FinalBreaks<'a, 's> {
    pub(crate) fn new(sink: &'a mut Sink<'s>) -> Self {
        FinalBreaks { sink, held: 0 }
    }

    pub(crate) fn write(&mut self, text: &str) -> io::Result<()> {
        let body = text.trim_end_matches('\n');
        if !body.is_empty() {
            if self.held > 0 {
                (self.sink)(&"\n".repeat(self.held))?;
            }
            (self.sink)(body)?;
            self.held = 0;
        }
        self.held += text.len() - body.len();
        Ok(())
    }

    /// Writes the one final line break, if any were held.
    pub(crate) fn finish(self) -> io::Result<()> {
        if self.held > 0 {
            (self.sink)("\n")?;
        }
        Ok(())
    }
}

/// What the report tests share: a configuration that renders in several chunks per thread,
/// and the check that a rendering is the same on any number of threads.
#[cfg(test)]
pub(crate) mod test_support {
    use super::Sink;
    use std::io;

    /// A configuration of more than 500 rules: several chunks on each of a few threads.
    pub(crate) fn several_chunks_config() -> syncpolicy_model::config::Configuration {
        let config = syncpolicy_samples::generate::generate(
            &syncpolicy_samples::generate::GenerateOptions {
                forests: 3,
                custom_rules_per_forest: 200,
                ous_per_domain: 3,
                seed: 7,
            },
        );
        assert!(config.rule_count() > 500, "several chunks on each thread");
        config
    }

    /// The flows rendered ahead by `render` whole, stopped after their first run and stopped
    /// after their second, each checked to hold the parts it says (more runs, more parts).
    pub(crate) fn flows_whole_and_stopped(
        render: impl Fn(&dyn Fn() -> bool) -> crate::document::RenderedFlows,
    ) -> [crate::document::RenderedFlows; 3] {
        let whole = render(&|| false);
        assert!(whole.runs.len() > 2, "several runs");
        let first = render(&|| true);
        assert!(first.runs.len() == 1 && first.parts < whole.parts);
        let calls = std::cell::Cell::new(0);
        let two = render(&|| {
            calls.set(calls.get() + 1);
            calls.get() == 2
        });
        assert!(two.runs.len() == 2 && first.parts < two.parts && two.parts < whole.parts);
        [whole, first, two]
    }

    /// What `to` hands its sink on one thread, after checking that 2 and 5 threads hand the
    /// same text.
    pub(crate) fn same_on_any_threads(
        to: impl Fn(usize, &mut Sink<'_>) -> io::Result<()>,
    ) -> String {
        let on = |threads: usize| {
            let mut o = String::new();
            to(threads, &mut |s: &str| {
                o.push_str(s);
                Ok(())
            })
            .expect("a string sink does not fail");
            o
        };
        let one = on(1);
        for threads in [2, 5] {
            assert_eq!(on(threads), one, "{threads} threads");
        }
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(f: impl FnOnce(&mut Sink<'_>) -> io::Result<()>) -> String {
        let mut out = String::new();
        f(&mut |s: &str| {
            out.push_str(s);
            Ok(())
        })
        .expect("a string sink does not fail");
        out
    }

    #[test]
    fn chunks_on_several_threads_arrive_in_order() {
        let items: Vec<String> = (0..5_000)
            .map(|i| format!("item {i} {}\n", "x".repeat(i % 700)))
            .collect();
        let whole = items.concat();
        for threads in [1, 2, 3, 8] {
            let got = collect(|sink| stream(&items, threads, |s, o| o.push_str(s), sink));
            assert_eq!(got, whole, "{threads} threads");
        }
        assert_eq!(
            collect(|sink| stream(&[] as &[String], 4, |s, o| o.push_str(s), sink)),
            ""
        );
    }

    #[test]
    fn a_sink_error_stops_the_stream_and_is_returned() {
        let items: Vec<usize> = (0..10_000).collect();
        let mut calls = 0;
        let got = stream(&items, 4, |i, o| o.push_str(&i.to_string()), &mut |_| {
            calls += 1;
            if calls == 3 {
                Err(io::Error::other("disk full"))
            } else {
                Ok(())
            }
        });
        assert_eq!(got.map_err(|e| e.to_string()), Err("disk full".to_owned()));
        assert_eq!(calls, 3);
    }

    #[test]
    fn final_breaks_are_what_trimming_the_whole_text_leaves() {
        let cases: &[&[&str]] = &[
            &["a\n\n"],
            &["a\n", "\n", "", "\n\n"],
            &["a", "\n"],
            &["a\n\n\n", ""],
            &["", ""],
            &["\n\n"],
            &["a\nb", "c\n\n", "\n", "d\n\n\n"],
            &["a\n\n", "b"],
            &[],
        ];
        for parts in cases {
            let mut whole = parts.concat();
            while whole.ends_with("\n\n") {
                whole.pop();
            }
            let got = collect(|sink| {
                let mut w = FinalBreaks::new(sink);
                for p in *parts {
                    w.write(p)?;
                }
                w.finish()
            });
            assert_eq!(got, whole, "{parts:?}");
        }
    }
}
