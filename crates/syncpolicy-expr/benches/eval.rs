//! Benchmark: the out-of-box `cloudFiltered` and `userPrincipalName` expressions evaluated over
//! 1,000,000 generated user objects (compiled once, evaluated many times). Prints evaluations
//! per second. Run with `cargo bench -p syncpolicy-expr --bench eval` or `scripts/bench-expr`.
//!
//! Timed, per object and expression: building the `Env` and `Compiled::eval`, which includes
//! looking the attributes up in the object, evaluating, copying the result out, and dropping it.
//! Not timed: generating the objects (in batches of 10,000, so the objects are mostly not in the CPU
//! cache when they are evaluated, as in a real synchronisation run) and compiling.

use std::hint::black_box;
use std::time::{Duration, Instant};
use syncpolicy_expr::env::{Env, Parameters, SourceObject};
use syncpolicy_expr::value::Value;
// The out-of-box expressions, as the shipped samples carry them.
use syncpolicy_samples::catalogue::{CLOUD_FILTERED, USER_PRINCIPAL_NAME};

const OBJECTS: usize = 1_000_000;
/// Objects generated at a time (about 2 KB each); `--batch N` overrides it, e.g. 100 to
/// measure with the objects in the CPU cache.
const BATCH: usize = 10_000;

/// splitmix64, so the objects are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One user as AD would hold it: most are ordinary, some have no UPN, some are service
/// accounts, mailbox users, Exchange system objects or replication conflicts.
fn user(i: usize, rng: &mut Rng) -> SourceObject {
    let r = rng.next();
    let mut o = SourceObject::new();
    let sam = match r % 100 {
        0 => format!("MSOL_{i:x}"),
        1 => format!("AAD_{i:x}"),
        2 => format!("CAS_{{{i}}}"),
        _ => format!("user{i}"),
    };
    let conflict = r % 1000 == 7;
    let cn = if conflict {
        format!("User {i}\\0ACNF:6f9619ff-8b86-d011-b42d-00c04fc964ff")
    } else {
        format!("User {i}")
    };
    o.insert(
        "dn",
        Value::Ref(format!("CN={cn},OU=Users,OU=Sales,DC=contoso,DC=com")),
    );
    o.insert("cn", Value::Str(cn));
    if r % 20 != 3 {
        o.insert(
            "userPrincipalName",
            Value::Str(format!("{sam}@contoso.com")),
        );
    }
    o.insert("sAMAccountName", Value::Str(sam.clone()));
    o.insert(
        "userAccountControl",
        Value::Num(if r % 10 == 0 { 514 } else { 512 }),
    );
    if (r >> 8) % 2 == 0 {
        let nick = if (r >> 16) % 200 == 0 {
            format!("SystemMailbox{{{i}}}")
        } else {
            sam.clone()
        };
        o.insert("mailNickname", Value::Str(nick));
        o.insert(
            "msExchRecipientTypeDetails",
            Value::Num(if (r >> 24) % 50 == 0 { 0x2000_0000 } else { 1 }),
        );
        o.insert(
            "proxyAddresses",
            Value::Multi(vec![
                Value::Str(format!("SMTP:{sam}@contoso.com")),
                Value::Str(format!("smtp:{sam}@contoso.mail.onmicrosoft.com")),
            ]),
        );
    }
    o.insert("givenName", Value::Str(format!("Given{}", r % 997)));
    o.insert("sn", Value::Str(format!("Surname{}", r % 991)));
    o.insert("displayName", Value::Str(format!("User {i}")));
    o.insert("department", Value::Str("Sales".into()));
    o.insert("objectGUID", Value::Bin(r.to_le_bytes().repeat(2)));
    o
}

fn main() {
    let cloud_filtered = match syncpolicy_expr::compile(CLOUD_FILTERED) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("cloudFiltered does not compile: {d:?}");
            std::process::exit(2);
        }
    };
    let upn = match syncpolicy_expr::compile(USER_PRINCIPAL_NAME) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("userPrincipalName does not compile: {d:?}");
            std::process::exit(2);
        }
    };
    let mut parameters = Parameters::new();
    parameters.insert("Domain.FQDN", "contoso.com");

    // `--batch N` (after `--`: `scripts/bench-expr -- --batch 100`) sets the batch size.
    let args: Vec<String> = std::env::args().collect();
    let batch_size = args
        .windows(2)
        .find(|w| w[0] == "--batch")
        .and_then(|w| w[1].parse::<usize>().ok())
        .filter(|b| (1..=OBJECTS).contains(b) && OBJECTS % b == 0)
        .unwrap_or(BATCH);
    let expressions = [&cloud_filtered, &upn];

    // 1. One expression over a whole batch, then the other (each object is fetched from memory
    //    once per expression).
    let mut separate = [Duration::ZERO; 2];
    let mut outcomes = [0usize; 2];
    for_each_batch(batch_size, |batch| {
        for (e, compiled) in expressions.iter().enumerate() {
            let start = Instant::now();
            for object in batch {
                let env = Env::new(object, &parameters);
                outcomes[e] += usize::from(counts(e, black_box(compiled.eval(&env))));
            }
            separate[e] += start.elapsed();
        }
    });

    // 2. Both expressions on each object before the next, as a synchronization engine runs a
    //    rule's scoping condition and attribute flows (each object is fetched once).
    let mut per_object = Duration::ZERO;
    let mut check = [0usize; 2];
    for_each_batch(batch_size, |batch| {
        let start = Instant::now();
        for object in batch {
            let env = Env::new(object, &parameters);
            for (e, compiled) in expressions.iter().enumerate() {
                check[e] += usize::from(counts(e, black_box(compiled.eval(&env))));
            }
        }
        per_object += start.elapsed();
    });
    assert_eq!(outcomes, check, "both orders must give the same results");

    let rate = |evaluations: usize, d: Duration| evaluations as f64 / d.as_secs_f64();
    let each = |d: Duration| d.as_nanos() as f64 / OBJECTS as f64;
    println!("objects:            {OBJECTS} (generated {batch_size} at a time)");
    println!("one expression over a batch, then the other:");
    println!(
        "  cloudFiltered:      {:>10.0} evaluations/s  ({:.0} ns each, {} filtered)",
        rate(OBJECTS, separate[0]),
        each(separate[0]),
        outcomes[0]
    );
    println!(
        "  userPrincipalName:  {:>10.0} evaluations/s  ({:.0} ns each, {} errors)",
        rate(OBJECTS, separate[1]),
        each(separate[1]),
        outcomes[1]
    );
    println!(
        "  both:               {:>10.0} evaluations/s",
        rate(2 * OBJECTS, separate[0] + separate[1])
    );
    println!("both expressions on each object, then the next object:");
    println!(
        "  both:               {:>10.0} evaluations/s  ({:.0} ns per object)",
        rate(2 * OBJECTS, per_object),
        each(per_object)
    );
    println!("target: 2,000,000 evaluations/s on one core");
}

/// Whether an evaluation result counts: a filtered object for the first expression, an error
/// for the second.
fn counts(expression: usize, result: Result<Value, syncpolicy_expr::eval::EvalError>) -> bool {
    match expression {
        0 => matches!(result, Ok(Value::Bool(true))),
        _ => result.is_err(),
    }
}

/// Generates the same `OBJECTS` users (in batches of `batch_size`, not timed) and hands each
/// batch to `f`.
fn for_each_batch(batch_size: usize, mut f: impl FnMut(&[SourceObject])) {
    let mut rng = Rng(0x5EED);
    let mut generated = 0;
    while generated < OBJECTS {
        let batch: Vec<SourceObject> = (generated..generated + batch_size)
            .map(|i| user(i, &mut rng))
            .collect();
        generated += batch_size;
        f(&batch);
    }
}
