//! Reading one LDIF file on every core: a reader thread cuts the input into blocks at entry
//! boundaries (an empty line: a folded continuation line starts with a space, so an empty line
//! always ends an entry), worker threads parse the blocks, and the caller receives the items in
//! file order, exactly as the sequential reader gives them (objects, line numbers, bad objects,
//! fatal errors at the same place: nothing after the first fatal error in file order).
//!
//! Memory stays bounded: at most twice as many blocks as threads, and one more, (read, being parsed, or parsed and waiting
//! for their turn) are held at once. A stretch of input with no empty line within
//! `Blocks::max_block_bytes` is read on by the sequential reader from there on (same results; it only
//! stops using the other cores). JSON Lines and UTF-16 input are read by the sequential reader.

use crate::ldif::LdifReader;
use crate::{read_objects_with, sniff, DirectoryObject, Limits, ObjectError, ObjectFormat, Wanted};
use std::collections::BTreeMap;
use std::io::{BufRead, Cursor, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

type Item = Result<DirectoryObject, ObjectError>;

/// How the parallel reader cuts its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocks {
    /// Worker threads that parse blocks (at least 1).
    pub threads: usize,
    /// Bytes read before looking for the next entry boundary (at least 1).
    pub block_bytes: usize,
    /// Without an empty line within this many bytes, the rest is read sequentially.
    pub max_block_bytes: usize,
}

impl Blocks {
    /// One worker per core, blocks of 1 MiB.
    pub fn default_for_machine() -> Blocks {
        Blocks {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            block_bytes: 1 << 20,
            max_block_bytes: 96 << 20,
        }
    }
}

/// What the reader thread hands on, numbered in file order.
enum Work<R> {
    /// Bytes ending at an entry boundary (or at the end of the input).
    Block(Vec<u8>),
    /// The bytes before an I/O error (cut after their last complete line) and its message.
    Failed(Vec<u8>, String),
    /// No boundary found: the bytes read and the rest of the input, for the sequential reader.
    Tail(Vec<u8>, R),
}

/// A parsed block (lines relative to the block) or a tail to read sequentially.
enum Done<R> {
    Parsed {
        items: Vec<Item>,
        lines: usize,
        records: usize,
        /// The block's bytes, kept for the rare case that it must be parsed again (no record
        /// before it in the file: its first entry may then be a `version:` line or not LDIF).
        bytes: Vec<u8>,
        failed: Option<String>,
    },
    Tail(Vec<u8>, R),
}

/// Reads objects as [`crate::read_objects_with`] does and gives each item to `each`, in file
/// order, parsing LDIF blocks on `blocks.threads` threads. Stops when `each` returns `false`.
pub fn read_objects_parallel<R: BufRead + Send>(
    input: R,
    limits: Limits,
    blocks: Blocks,
    each: impl FnMut(Item) -> bool,
) {
    read_objects_parallel_only(input, limits, blocks, None, each);
}

/// [`read_objects_parallel`], the LDIF objects holding only the attributes in `wanted`
/// ([`crate::LdifReader::only`]; the same objects are bad, for the same reasons). JSON Lines
/// and UTF-16 input keep every attribute.
pub fn read_objects_parallel_only<R: BufRead + Send>(
    mut input: R,
    limits: Limits,
    blocks: Blocks,
    wanted: Option<Arc<Wanted>>,
    mut each: impl FnMut(Item) -> bool,
) {
    let utf16 = matches!(input.fill_buf(), Ok(h) if h.starts_with(&[0xFF, 0xFE]) || h.starts_with(&[0xFE, 0xFF]));
    if utf16 || sniff(&mut input) == ObjectFormat::Jsonl {
        for item in read_objects_with(input, limits) {
            if !each(item) {
                return;
            }
        }
        return;
    }
    let threads = blocks.threads.max(1);
    let block_bytes = blocks.block_bytes.max(1);
    let in_flight = threads * 2 + 1;
    std::thread::scope(|scope| {
        let (credit_tx, credit_rx) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = credit_tx.send(());
        }
        let (work_tx, work_rx) = sync_channel::<(usize, Work<R>)>(in_flight);
        let (done_tx, done_rx) = sync_channel::<(usize, Done<R>)>(in_flight);
        let max_block = blocks.max_block_bytes;
        scope.spawn(move || cut(input, block_bytes, max_block, &credit_rx, &work_tx));
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            let wanted = wanted.clone();
            scope.spawn(move || parse_blocks(&work_rx, &done_tx, limits, wanted.as_ref()));
        }
        drop(done_tx);
        deliver(&done_rx, &credit_tx, limits, wanted.as_ref(), &mut each);
        // Dropping the receivers ends the threads (their sends fail).
        drop(done_rx);
        drop(credit_tx);
    });
}

/// The reader thread: blocks of about `block_bytes`, each ending after an empty line.
fn cut<R: BufRead>(
    mut input: R,
    block_bytes: usize,
    max_block_bytes: usize,
    credits: &Receiver<()>,
    work: &SyncSender<(usize, Work<R>)>,
) {
    let mut index = 0;
    let mut pending: Vec<u8> = Vec::new();
    loop {
        if credits.recv().is_err() {
            return;
        }
        let mut target = block_bytes;
        let mut from = 0;
        let end = loop {
            // At its size at once: grown by doubling, a block was copied about once more.
            pending.reserve(target.saturating_sub(pending.len()));
            while pending.len() < target {
                match input.fill_buf() {
                    Ok([]) => break,
                    Ok(b) => {
                        let n = b.len().min(target - pending.len());
                        pending.extend_from_slice(&b[..n]);
                        input.consume(n);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        // As the sequential reader: the complete lines, then the error.
                        let complete = memchr::memrchr(b'\n', &pending).map_or(0, |i| i + 1);
                        pending.truncate(complete);
                        let _ = work.send((index, Work::Failed(pending, e.to_string())));
                        return;
                    }
                }
            }
            if pending.len() < target {
                // The end of the input.
                let _ = work.send((index, Work::Block(pending)));
                return;
            }
            if let Some(end) = last_boundary(&pending, from) {
                break end;
            }
            if pending.len() >= max_block_bytes {
                let _ = work.send((index, Work::Tail(pending, input)));
                return;
            }
            from = pending.len().saturating_sub(2);
            target = pending.len() + block_bytes;
        };
        let rest = pending.split_off(end);
        let block = std::mem::replace(&mut pending, rest);
        if work.send((index, Work::Block(block))).is_err() {
            return;
        }
        index += 1;
    }
}

/// The end (just after it) of the last empty line in `bytes` that ends at or after `from`:
/// `\n\n` or `\n\r\n`.
fn last_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    let mut end = bytes.len();
    while let Some(i) = memchr::memrchr(b'\n', &bytes[..end]) {
        if i < from {
            return None;
        }
        if i >= 1 && bytes[i - 1] == b'\n' {
            return Some(i + 1);
        }
        if i >= 2 && bytes[i - 1] == b'\r' && bytes[i - 2] == b'\n' {
            return Some(i + 1);
        }
        end = i;
    }
    None
}

/// A worker thread: parses blocks until there are none.
fn parse_blocks<R>(
    work: &Mutex<Receiver<(usize, Work<R>)>>,
    done: &SyncSender<(usize, Done<R>)>,
    limits: Limits,
    wanted: Option<&Arc<Wanted>>,
) {
    loop {
        let next = match work.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((index, work)) = next else { return };
        let result = match work {
            Work::Block(bytes) => parse(index, bytes, None, limits, wanted),
            Work::Failed(bytes, message) => parse(index, bytes, Some(message), limits, wanted),
            Work::Tail(bytes, input) => Done::Tail(bytes, input),
        };
        if done.send((index, result)).is_err() {
            return;
        }
    }
}

fn parse<R>(
    index: usize,
    bytes: Vec<u8>,
    failed: Option<String>,
    limits: Limits,
    wanted: Option<&Arc<Wanted>>,
) -> Done<R> {
    let records_before = usize::from(index > 0);
    let (items, lines, records) = parse_with(
        &bytes,
        failed.is_some(),
        index == 0,
        records_before,
        limits,
        wanted,
    );
    Done::Parsed {
        items,
        lines,
        records,
        bytes,
        failed,
    }
}

/// Parses one block: its items, lines and records (those before it included).
fn parse_with(
    bytes: &[u8],
    failed: bool,
    first: bool,
    records_before: usize,
    limits: Limits,
    wanted: Option<&Arc<Wanted>>,
) -> (Vec<Item>, usize, usize) {
    let mut reader = if first {
        LdifReader::new(bytes, limits)
    } else {
        LdifReader::resume(bytes, limits, 0, records_before)
    }
    .only(wanted.cloned());
    if failed {
        reader = reader.no_flush_at_end();
    }
    let items: Vec<Item> = reader.by_ref().collect();
    (items, reader.lines_read(), reader.records)
}

/// The caller's side: blocks in file order, lines made absolute.
fn deliver<R: BufRead>(
    done: &Receiver<(usize, Done<R>)>,
    credits: &SyncSender<()>,
    limits: Limits,
    wanted: Option<&Arc<Wanted>>,
    each: &mut impl FnMut(Item) -> bool,
) {
    let mut waiting: BTreeMap<usize, Done<R>> = BTreeMap::new();
    let mut next = 0;
    let mut lines = 0;
    let mut records = 0;
    loop {
        let item = match waiting.remove(&next) {
            Some(d) => d,
            None => match done.recv() {
                Ok((i, d)) => {
                    waiting.insert(i, d);
                    continue;
                }
                Err(_) => return,
            },
        };
        match item {
            Done::Parsed {
                mut items,
                lines: block_lines,
                records: block_records,
                bytes,
                failed,
            } => {
                let mut block_records = block_records;
                if next > 0 && records == 0 {
                    // Parsed as if records came before; none did.
                    let (again, _, r) =
                        parse_with(&bytes, failed.is_some(), false, 0, limits, wanted);
                    items = again;
                    block_records = r;
                } else if next > 0 {
                    block_records -= 1;
                }
                drop(bytes);
                for mut item in items {
                    let fatal = match &mut item {
                        Ok(o) => {
                            o.line += lines;
                            false
                        }
                        Err(e) => {
                            e.line += lines;
                            e.fatal
                        }
                    };
                    if !each(item) || fatal {
                        return;
                    }
                }
                lines += block_lines;
                records += block_records;
                if let Some(message) = failed {
                    each(Err(ObjectError {
                        line: lines + 1,
                        message: format!("cannot read the file: {message}"),
                        fatal: true,
                    }));
                    return;
                }
            }
            Done::Tail(bytes, input) => {
                let chained = Cursor::new(bytes).chain(input);
                let reader = if next == 0 {
                    LdifReader::new(chained, limits)
                } else {
                    LdifReader::resume(chained, limits, lines, records)
                }
                .only(wanted.cloned());
                for item in reader {
                    if !each(item) {
                        return;
                    }
                }
                return;
            }
        }
        let _ = credits.send(());
        next += 1;
    }
}
