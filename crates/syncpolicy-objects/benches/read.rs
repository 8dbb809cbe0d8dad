//! Benchmark: reading a generated forest of 200,000 users, 20,000 groups (20 members on
//! average), 10,000 contacts and 20,000 computers (the size of `scripts/bench-simulate`), as
//! LDIF and as JSON Lines, from memory. Prints objects per second and MB per second of each
//! reader against the reference measured in the same run: splitting the same bytes into lines
//! (`BufRead::read_until`), the least any line-oriented reader does. Run with
//! `scripts/bench-objects` (release). `--users N` scales all counts.

#![allow(clippy::disallowed_methods)] // reads the command line

use std::hint::black_box;
use std::io::BufRead;
use std::time::Instant;
use syncpolicy_objects::{read_jsonl, read_ldif, write_generated, GenerateOptions, ObjectFormat};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let users = args
        .iter()
        .position(|a| a == "--users")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000usize);
    let options = GenerateOptions {
        users,
        groups: users / 10,
        members: 20,
        contacts: users / 20,
        computers: users / 10,
        ..GenerateOptions::default()
    };
    for format in [ObjectFormat::Ldif, ObjectFormat::Jsonl] {
        let start = Instant::now();
        let mut bytes = Vec::new();
        let n = write_generated(&options, format, &mut bytes).expect("writes to memory");
        let generated = start.elapsed();
        let mb = bytes.len() as f64 / 1e6;

        let start = Instant::now();
        let mut lines = 0usize;
        let mut input = &bytes[..];
        let mut line = Vec::new();
        while input.read_until(b'\n', &mut line).expect("in memory") > 0 {
            lines += 1;
            black_box(&line);
            line.clear();
        }
        let floor = start.elapsed();

        let start = Instant::now();
        let mut read = 0usize;
        match format {
            ObjectFormat::Ldif => {
                for o in read_ldif(&bytes[..]) {
                    black_box(o.expect("valid object"));
                    read += 1;
                }
            }
            ObjectFormat::Jsonl => {
                for o in read_jsonl(&bytes[..]) {
                    black_box(o.expect("valid object"));
                    read += 1;
                }
            }
        }
        let reading = start.elapsed();
        assert_eq!(read, n);
        let name = match format {
            ObjectFormat::Ldif => "LDIF",
            ObjectFormat::Jsonl => "JSON Lines",
        };
        println!(
            "{name}: {n} objects, {mb:.1} MB, {lines} lines (generated and written in {:.2} s, {:.0} objects/s)",
            generated.as_secs_f64(),
            n as f64 / generated.as_secs_f64()
        );
        println!(
            "  read:            {:.2} s  {:>9.0} objects/s  {:>6.1} MB/s",
            reading.as_secs_f64(),
            n as f64 / reading.as_secs_f64(),
            mb / reading.as_secs_f64()
        );
        println!(
            "  reference lines: {:.2} s  {:>9.0} objects/s  {:>6.1} MB/s  (reader = {:.1}x the reference's time)",
            floor.as_secs_f64(),
            n as f64 / floor.as_secs_f64(),
            mb / floor.as_secs_f64(),
            reading.as_secs_f64() / floor.as_secs_f64()
        );
    }
}
