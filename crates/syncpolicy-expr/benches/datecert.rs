//! Benchmark: the date and certificate functions (issue 15), measured apart from the main
//! expression benchmark because they are not in its hot path. Each expression is evaluated over
//! 100,000 generated objects; prints nanoseconds per evaluation and the ratio against the
//! reference measured in the same run (`[pwdLastSet]`, reading one attribute: the cost of the
//! environment and the evaluator around a function). Run with
//! `cargo bench -p syncpolicy-expr --bench datecert` or `scripts/bench-expr-datecert`.

use std::hint::black_box;
use std::time::Instant;
use syncpolicy_expr::env::{Env, Parameters, SourceObject};
use syncpolicy_expr::value::Value;

const OBJECTS: usize = 100_000;

/// A self-signed P-256 certificate with subject, SAN, key usage and basic-constraint extensions,
/// as `userCertificate` holds it.
const CERT: &str = "MIICATCCAaegAwIBAgIDGis8MAoGCCqGSM49BAMCMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTAeFw0yNjExMjYwODE4MjFaFw0zNjExMjMwODE4MjFaMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEllTS7ijuVp54qwURpGLgbaGKijWJJs/igSiKXvNsmU+RDIqthjIFMGAaprks9I9Oju9Fbl0DasqAzGAG6wZD6jgaswgagwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwaQYDVR0RBGIwYIEQamFuZUBjb250b3NvLmNvbYIQamFuZS5jb250b3NvLmNvbYYYaHR0cHM6Ly9jb250b3NvLmNvbS9qYW5loCAGCisGAQQBgjcUAgOgEgwQamFuZUBjb250b3NvLmNvbTAdBgNVHQ4EFgQUsSlj+5f3vYmMcKG4Skf7nVboYg0wCgYIKoZIzj0EAwIDSAAwRQIhAJ885Kh5UM43leY3e55cUEP07bpYMcwo9O4hWUUZ4HUlAiAmTGBPFwBvDfsxa60QImO2xqG/H7b+aNEBMhJ5gDRt6g==";

const EXPRESSIONS: &[(&str, &str)] = &[
    ("reference", "[pwdLastSet]"),
    (
        "FormatDateTime",
        r#"FormatDateTime(DateFromNum([pwdLastSet]),"yyyy-MM-dd HH:mm:ss.fff")"#,
    ),
    (
        "DateAdd (months)",
        r#"DateAdd("m", 7, DateFromNum([pwdLastSet]))"#,
    ),
    (
        "DateAdd (days)",
        r#"DateAdd("d", 45, DateFromNum([pwdLastSet]))"#,
    ),
    ("CDate", "CDate([whenCreated])"),
    ("CertThumbprint", "CertThumbprint([userCertificate])"),
    ("CertSubject", "CertSubject([userCertificate])"),
    ("CertNotAfter", "CertNotAfter([userCertificate])"),
];

fn main() {
    let input =
        syncpolicy_expr::object::parse_json_object(&format!(r#"{{"c": {{"base64": "{CERT}"}}}}"#))
            .expect("the certificate object reads");
    let Some(Value::Bin(cert)) = input.object.get("c").cloned() else {
        eprintln!("the certificate is not binary");
        std::process::exit(2);
    };
    let mut seed = 0x5EED_u64;
    let objects: Vec<SourceObject> = (0..OBJECTS)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // FILETIMEs between 2001 and about 2030.
            let filetime = 126_000_000_000_000_000 + (seed >> 8) as i64 % 9_000_000_000_000_000;
            let mut o = SourceObject::new();
            o.insert("pwdLastSet", Value::Num(filetime));
            o.insert(
                "whenCreated",
                Value::Str(format!(
                    "20{:02}{:02}{:02}{:02}{:02}{:02}.0Z",
                    seed % 30,
                    seed % 12 + 1,
                    seed % 28 + 1,
                    seed % 24,
                    seed % 60,
                    (seed >> 7) % 60
                )),
            );
            o.insert("userCertificate", Value::Bin(cert.clone()));
            o
        })
        .collect();
    let parameters = Parameters::new();
    println!("objects: {OBJECTS}");
    let mut reference = None;
    for (name, source) in EXPRESSIONS {
        let compiled = match syncpolicy_expr::compile(source) {
            Ok(c) => c,
            Err(d) => {
                eprintln!("{name} does not compile: {d:?}");
                std::process::exit(2);
            }
        };
        let mut errors = 0usize;
        let start = Instant::now();
        for object in &objects {
            let env = Env::new(object, &parameters);
            errors += usize::from(black_box(compiled.eval(&env)).is_err());
        }
        let elapsed = start.elapsed();
        if errors > 0 {
            eprintln!("{name}: {errors} evaluations failed");
            std::process::exit(2);
        }
        let each = elapsed.as_nanos() as f64 / OBJECTS as f64;
        let base = *reference.get_or_insert(each);
        println!(
            "  {name:<18} {each:>8.0} ns per evaluation  ({:>5.1}x the reference)",
            each / base
        );
    }
}
