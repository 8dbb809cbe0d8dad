//! A deterministic generator of realistic Active Directory forests for trials, tests and
//! benchmarks, streamed one object at a time (memory does not grow with the counts).
//!
//! What a generated directory holds (all attributes typed as `ldifde -f` exports them):
//! - the containers: `CN=Users`, `CN=Computers`, `OU=Domain Controllers` and the OU tree
//!   `OU=CORP` (`OU=Users` with one OU per department, `OU=Disabled Users`, `OU=Contacts`,
//!   `OU=Workstations`, `OU=Servers`), `OU=Groups`, `OU=Service Accounts`, `OU=Contacts` and
//!   `OU=Staging` at the root. The shipped samples' OU filters cut into it: `contoso.com`
//!   includes `OU=CORP` and `OU=Groups` and excludes the root and `OU=Disabled Users`;
//!   `fabrikam.com` excludes `OU=Service Accounts` and `CN=Users`;
//! - the built-in accounts (`Administrator`, `Guest`, `krbtgt`: critical system objects), the
//!   synchronization service accounts `MSOL_...` and `AAD_...`, an arbitration mailbox
//!   (`SystemMailbox{...}`), a discovery mailbox and a user written back from the cloud
//!   (`adminDescription: User_...`);
//! - users: enabled and disabled (`userAccountControl` 512, 66048, 514), about 4% without a
//!   UPN, Exchange recipients (mailboxes, remote mailboxes, mail users, linked and shared
//!   mailboxes, by `msExchRecipientTypeDetails`; linked mailboxes point to the user of the same
//!   number in an account forest when `account_forest_seed` names one), service accounts `svc-...` in
//!   `OU=Service Accounts`, `objectGUID`, `objectSid` and for 60% `mS-DS-ConsistencyGuid`
//!   (equal to `objectGUID`, as Entra Connect writes it back), managers, contractors
//!   (`employeeType: Contractor`), non-ASCII names and `Last, First` display names;
//! - replication-conflict objects: every 500th user and every 200th group is the conflict copy of
//!   the previous one (`CN=...\0ACNF:<guid>` in the DN, a line feed in `cn`,
//!   `sAMAccountName: $DUPLICATE-...`);
//! - groups with member DNs (average `members`, users and now and then a nested group or a
//!   contact): security (global, universal, domain local) and distribution groups, mail-enabled
//!   or not; when there are more users than `member_limit`, the first group has
//!   `member_limit + 1` members; one group written back from the cloud (`Group_...`);
//! - contacts, 80% with `proxyAddresses`, 10% in `OU=Contacts` at the root;
//! - computers: workstations and servers, 60% of those on Windows 10/11 or Server 2016+ with a
//!   `userCertificate`, Windows 8.1, 7 and Server 2012 R2 without, domain controllers.

use crate::write::{write_object, ObjectFormat};
use std::io::{self, Write};
use syncpolicy_expr::value::Value;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// The same seed gives the same directory.
    pub seed: u64,
    /// The forest root domain, e.g. `contoso.com`.
    pub domain: String,
    pub users: usize,
    pub groups: usize,
    /// The average number of members of a group.
    pub members: usize,
    pub contacts: usize,
    pub computers: usize,
    /// The member limit of the out-of-box `Out to AAD - Group Join` rule (`memberCount
    /// LESSTHAN 50000`); one group gets one member more when there are enough users.
    pub member_limit: usize,
    /// The seed of an account forest generated beside this one: linked mailboxes then carry
    /// the `objectSid` of the user with the same number there as `msExchMasterAccountSid`
    /// (and have the same name), so that the two join as a resource forest's linked mailbox
    /// joins its account. `None`: their master accounts are in a forest not exported.
    pub account_forest_seed: Option<u64>,
}

/// Most users, contacts and computers (each) `syncpolicy generate objects` writes.
pub const MAX_OBJECTS: usize = 10_000_000;

/// Most groups.
pub const MAX_GROUPS: usize = 1_000_000;

/// Largest average number of members per group (a group's members are held in memory while it
/// is written).
pub const MAX_MEMBERS: usize = 1_000_000;

impl GenerateOptions {
    /// Checks the counts against the documented maximums ([`MAX_OBJECTS`] users, contacts and
    /// computers each, [`MAX_GROUPS`], [`MAX_MEMBERS`] per group and as member limit); the
    /// error names the count and its maximum.
    pub fn check(&self) -> Result<(), String> {
        for (what, n, max) in [
            ("the users", self.users, MAX_OBJECTS),
            ("the contacts", self.contacts, MAX_OBJECTS),
            ("the computers", self.computers, MAX_OBJECTS),
            ("the groups", self.groups, MAX_GROUPS),
            ("the members per group", self.members, MAX_MEMBERS),
            ("the member limit", self.member_limit, MAX_MEMBERS),
        ] {
            if n > max {
                return Err(format!(
                    "{n} is too many for {what}: at most {max} can be generated"
                ));
            }
        }
        Ok(())
    }
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 1,
            domain: "contoso.com".to_owned(),
            users: 200,
            groups: 20,
            members: 10,
            contacts: 20,
            computers: 20,
            member_limit: 50_000,
            account_forest_seed: None,
        }
    }
}

/// One generated object: its DN and its attributes in the order `ldifde` would write them.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedObject {
    pub dn: String,
    pub attributes: Vec<(&'static str, Value)>,
}

impl GeneratedObject {
    /// Writes the object in `format`.
    pub fn write<W: Write>(&self, out: &mut W, format: ObjectFormat) -> io::Result<()> {
        write_object(out, format, &self.dn, &self.attributes)
    }
}

/// Generates the directory `options` describes, one object at a time.
pub fn generate(options: &GenerateOptions) -> Generated {
    let root = options
        .domain
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| format!("DC={p}"))
        .collect::<Vec<_>>()
        .join(",");
    let netbios = options
        .domain
        .split('.')
        .next()
        .unwrap_or("CONTOSO")
        .to_ascii_uppercase();
    Generated {
        options: options.clone(),
        root,
        netbios,
        domain_sid: domain_sid(options.seed),
        account_sid: options.account_forest_seed.map(domain_sid),
        phase: Phase::Containers,
        index: 0,
    }
}

/// The domain SID's sub-authorities of the forest generated with `seed`.
fn domain_sid(seed: u64) -> [u32; 4] {
    let mut rng = Rng::new(seed, 0, 0);
    [
        21,
        rng.next() as u32 % 1_000_000_000 + 1_000_000_000,
        rng.next() as u32 % 1_000_000_000 + 1_000_000_000,
        rng.next() as u32 % 1_000_000_000 + 1_000_000_000,
    ]
}

/// A SID from a domain's sub-authorities and a RID.
fn sid_bytes(domain: &[u32; 4], rid: u32) -> Vec<u8> {
    let mut b = vec![1, 5, 0, 0, 0, 0, 0, 5];
    for a in domain.iter().chain(std::iter::once(&rid)) {
        b.extend_from_slice(&a.to_le_bytes());
    }
    b
}

/// Writes the whole generated directory to `out`; returns the number of objects.
pub fn write_generated<W: Write>(
    options: &GenerateOptions,
    format: ObjectFormat,
    out: &mut W,
) -> io::Result<usize> {
    let mut n = 0;
    for object in generate(options) {
        object.write(out, format)?;
        n += 1;
    }
    Ok(n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Containers,
    Special,
    Users,
    Groups,
    Contacts,
    Computers,
    Done,
}

/// The generator's iterator; see [`generate`].
pub struct Generated {
    options: GenerateOptions,
    root: String,
    netbios: String,
    domain_sid: [u32; 4],
    /// The domain SID of the account forest of linked mailboxes, if given.
    account_sid: Option<[u32; 4]>,
    phase: Phase,
    index: usize,
}

/// A small deterministic generator (SplitMix64), seeded per object so that any object can be
/// generated on its own (group members name users without keeping them in memory).
struct Rng(u64);

impl Rng {
    fn new(seed: u64, kind: u64, index: usize) -> Rng {
        let mut r = Rng(seed
            ^ kind.wrapping_mul(0xA076_1D64_78BD_642F)
            ^ (index as u64).wrapping_mul(0xE703_7ED1_A0B4_28DB));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn percent(&mut self) -> usize {
        self.below(100)
    }

    fn bytes16(&mut self) -> Vec<u8> {
        let a = self.next().to_le_bytes();
        let b = self.next().to_le_bytes();
        a.iter().chain(b.iter()).copied().collect()
    }
}

const KIND_USER: u64 = 1;
const KIND_GROUP: u64 = 2;
const KIND_CONTACT: u64 = 3;
const KIND_COMPUTER: u64 = 4;

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Margaret",
    "Paul",
    "Sandra",
    "Steven",
    "Ashley",
    "Andrew",
    "Kimberly",
    "Kenneth",
    "Emily",
    "Joshua",
    "Donna",
    "Kevin",
    "Michelle",
    "Brian",
    "Carol",
    "George",
    "Amanda",
    "Timothy",
    "Melissa",
    "Ronald",
    "Deborah",
    "Jörg",
    "José",
    "Zoë",
    "François",
    "Søren",
    "Łukasz",
    "Ana",
    "Mei",
    "Hiroshi",
    "Priya",
    "Ahmed",
    "Olga",
];

const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Müller",
    "Schröder",
    "Dubois",
    "Nørgaard",
    "Kowalski",
    "O'Brien",
    "Tanaka",
    "Patel",
    "Hassan",
    "Ivanova",
    "Chen",
];

const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Marketing",
    "Finance",
    "IT",
    "HR",
    "Engineering",
    "Legal",
    "Operations",
];

const TITLES: &[&str] = &[
    "Manager",
    "Analyst",
    "Engineer",
    "Consultant",
    "Assistant",
    "Director",
    "Specialist",
    "Coordinator",
];

const CITIES: &[(&str, &str, &str)] = &[
    ("Seattle", "US", "United States"),
    ("New York", "US", "United States"),
    ("London", "GB", "United Kingdom"),
    ("Berlin", "DE", "Germany"),
    ("Paris", "FR", "France"),
    ("Copenhagen", "DK", "Denmark"),
    ("Tokyo", "JP", "Japan"),
    ("Sydney", "AU", "Australia"),
];

const APPS: &[&str] = &[
    "sql",
    "backup",
    "sharepoint",
    "scom",
    "print",
    "web",
    "crm",
    "ftp",
];

/// Operating systems of computers: name, version, whether the device has a certificate.
const SYSTEMS: &[(&str, &str, bool)] = &[
    ("Windows 10 Enterprise", "10.0 (19045)", true),
    ("Windows 11 Enterprise", "10.0 (22631)", true),
    ("Windows 11 Pro", "10.0 (22621)", true),
    ("Windows 10 Pro", "10.0 (19044)", true),
    ("Windows 8.1 Pro", "6.3 (9600)", false),
    ("Windows 7 Professional", "6.1 (7601)", false),
];

const SERVER_SYSTEMS: &[(&str, &str, bool)] = &[
    ("Windows Server 2019 Datacenter", "10.0 (17763)", true),
    ("Windows Server 2022 Standard", "10.0 (20348)", true),
    ("Windows Server 2016 Standard", "10.0 (14393)", true),
    ("Windows Server 2012 R2 Standard", "6.3 (9600)", false),
];

fn s(v: impl Into<String>) -> Value {
    Value::Str(v.into())
}

fn r(v: impl Into<String>) -> Value {
    Value::Ref(v.into())
}

fn classes(names: &[&str]) -> Value {
    Value::Multi(names.iter().map(|n| s(*n)).collect())
}

fn ascii_fold(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'ö' | 'ø' => Some('o'),
            'ü' => Some('u'),
            'é' => Some('e'),
            'ë' => Some('e'),
            'ç' => Some('c'),
            'Ł' => Some('L'),
            'ł' => Some('l'),
            'ą' => Some('a'),
            'Ø' => Some('O'),
            '\'' | ' ' => None,
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// A DN value with `,`, `+`, `"`, `\`, `<`, `>`, `;` escaped (RFC 4514).
fn escape_rdn(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A GUID string in the registry format from 16 bytes in .NET order.
fn guid_text(b: &[u8]) -> String {
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
    )
}

/// A user as the generator sees it before writing: enough to name it from elsewhere.
struct UserName {
    cn: String,
    given: &'static str,
    sn: &'static str,
    sam: String,
    ou: String,
    kind: UserKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserKind {
    Normal,
    Disabled,
    Service,
    Staging,
    Conflict,
}

impl Generated {
    fn dn_ou(&self, path: &str) -> String {
        format!("{path},{}", self.root)
    }

    fn sid(&self, rid: u32) -> Vec<u8> {
        sid_bytes(&self.domain_sid, rid)
    }

    fn user_name(&self, i: usize) -> UserName {
        let mut rng = Rng::new(self.options.seed, KIND_USER, i);
        let kind = if i % 500 == 499 {
            UserKind::Conflict
        } else if i % 200 == 7 {
            UserKind::Service
        } else {
            match rng.percent() {
                0..=3 => UserKind::Disabled,
                4..=7 => UserKind::Staging,
                _ => UserKind::Normal,
            }
        };
        // Conflict copies take the name and place of the user before them.
        let base = if kind == UserKind::Conflict { i - 1 } else { i };
        let given = FIRST[base % FIRST.len()];
        let sn = LAST[(base / FIRST.len()) % LAST.len()];
        let round = base / (FIRST.len() * LAST.len());
        let mut cn = format!("{given} {sn}");
        if round > 0 {
            cn.push_str(&format!(" {}", round + 1));
        }
        let mut sam: String = format!(
            "{}{}",
            ascii_fold(given).chars().next().unwrap_or('x'),
            ascii_fold(sn)
        )
        .to_lowercase();
        sam.truncate(14);
        sam.push_str(&format!("{base}"));
        let dept = DEPARTMENTS[base % DEPARTMENTS.len()];
        let base_kind = if kind == UserKind::Conflict {
            self.user_name(base).kind
        } else {
            kind
        };
        let ou = match base_kind {
            UserKind::Service => {
                let app = APPS[base % APPS.len()];
                cn = format!("svc-{app}{base}");
                sam = cn.clone();
                self.dn_ou("OU=Service Accounts")
            }
            UserKind::Disabled => self.dn_ou("OU=Disabled Users,OU=CORP"),
            UserKind::Staging => self.dn_ou("OU=Staging"),
            _ => self.dn_ou(&format!("OU={dept},OU=Users,OU=CORP")),
        };
        UserName {
            cn,
            given,
            sn,
            sam,
            ou,
            kind,
        }
    }

    fn user_dn(&self, i: usize) -> String {
        let n = self.user_name(i);
        if n.kind == UserKind::Conflict {
            let guid = guid_text(&Rng::new(self.options.seed, KIND_USER, i).bytes16());
            format!("CN={}\\0ACNF:{guid},{}", escape_rdn(&n.cn), n.ou)
        } else {
            format!("CN={},{}", escape_rdn(&n.cn), n.ou)
        }
    }

    fn group_name(&self, j: usize) -> (String, String) {
        let dept = DEPARTMENTS[j % DEPARTMENTS.len()];
        let base = if j % 200 == 199 { j - 1 } else { j };
        let name = if base == 0 && self.big_group() {
            "All Staff Archive".to_owned()
        } else {
            let kind = [
                "SG",
                "SG",
                "SG",
                "SG",
                "USG",
                "USG",
                "DL",
                "DL",
                "DL-Archive",
                "DLG",
            ][base % 10];
            format!("{kind}-{dept}-{base}")
        };
        let dn = if j % 200 == 199 {
            let guid = guid_text(&Rng::new(self.options.seed, KIND_GROUP, j).bytes16());
            format!("CN={name}\\0ACNF:{guid},{}", self.dn_ou("OU=Groups"))
        } else {
            format!("CN={name},{}", self.dn_ou("OU=Groups"))
        };
        (name, dn)
    }

    fn contact_dn(&self, k: usize) -> String {
        let given = FIRST[(k * 7) % FIRST.len()];
        let sn = LAST[(k * 3 + 1) % LAST.len()];
        let ou = if k % 10 == 9 {
            self.dn_ou("OU=Contacts")
        } else {
            self.dn_ou("OU=Contacts,OU=CORP")
        };
        format!("CN={given} {sn} (Partner {k}),{ou}")
    }

    fn big_group(&self) -> bool {
        self.options.users > self.options.member_limit && self.options.groups > 0
    }

    fn containers(&self) -> Vec<GeneratedObject> {
        let ou = |path: &str, name: &str| GeneratedObject {
            dn: self.dn_ou(path),
            attributes: vec![
                ("objectClass", classes(&["top", "organizationalUnit"])),
                ("ou", s(name)),
                ("name", s(name)),
            ],
        };
        let container = |path: &str, name: &str, critical: bool| {
            let mut attributes = vec![
                ("objectClass", classes(&["top", "container"])),
                ("cn", s(name)),
                ("name", s(name)),
            ];
            if critical {
                attributes.push(("isCriticalSystemObject", Value::Bool(true)));
            }
            GeneratedObject {
                dn: self.dn_ou(path),
                attributes,
            }
        };
        let mut all = vec![
            container("CN=Users", "Users", true),
            container("CN=Computers", "Computers", true),
            ou("OU=Domain Controllers", "Domain Controllers"),
            ou("OU=CORP", "CORP"),
            ou("OU=Users,OU=CORP", "Users"),
        ];
        for d in DEPARTMENTS {
            all.push(ou(&format!("OU={d},OU=Users,OU=CORP"), d));
        }
        for (path, name) in [
            ("OU=Disabled Users,OU=CORP", "Disabled Users"),
            ("OU=Contacts,OU=CORP", "Contacts"),
            ("OU=Workstations,OU=CORP", "Workstations"),
            ("OU=Servers,OU=CORP", "Servers"),
            ("OU=Groups", "Groups"),
            ("OU=Service Accounts", "Service Accounts"),
            ("OU=Contacts", "Contacts"),
            ("OU=Staging", "Staging"),
        ] {
            all.push(ou(path, name));
        }
        all
    }

    /// The built-in and service accounts, indexes of the special-object phase.
    fn special(&self, n: usize) -> Option<GeneratedObject> {
        let mut rng = Rng::new(self.options.seed, 9, n);
        let users = self.dn_ou("CN=Users");
        let hex: String = format!("{:012x}", rng.next() & 0xffff_ffff_ffff);
        let (cn, sam, uac, critical, extra): (String, String, i64, bool, Vec<(&'static str, Value)>) = match n {
            0 => ("Administrator".into(), "Administrator".into(), 66048, true, vec![("description", s("Built-in account for administering the computer/domain"))]),
            1 => ("Guest".into(), "Guest".into(), 66082, true, vec![("description", s("Built-in account for guest access to the computer/domain"))]),
            2 => ("krbtgt".into(), "krbtgt".into(), 514, true, vec![("description", s("Key Distribution Center Service Account"))]),
            3 => (
                format!("MSOL_{hex}"),
                format!("MSOL_{hex}"),
                66048,
                false,
                vec![("description", s(format!("Account created by Microsoft Azure Active Directory Connect with installation identifier {} running on computer SYNC01 configured to synchronize to tenant contoso.onmicrosoft.com. This account must have directory replication permissions in the local Active Directory and write permission on certain attributes to enable Hybrid Deployment.", guid_text(&rng.bytes16()))))],
            ),
            4 => (
                format!("AAD_{hex}"),
                format!("AAD_{hex}"),
                66048,
                false,
                vec![("description", s("Service account for the Synchronization Service"))],
            ),
            5 => {
                let guid = guid_text(&rng.bytes16());
                (
                    format!("SystemMailbox{{{guid}}}"),
                    format!("SM_{}", &hex[..12]),
                    514,
                    false,
                    vec![
                        ("mailNickname", s(format!("SystemMailbox{{{guid}}}"))),
                        ("msExchRecipientTypeDetails", Value::Num(8_388_608)),
                        ("proxyAddresses", Value::Multi(vec![s(format!("SMTP:SystemMailbox{{{guid}}}@{}", self.options.domain))])),
                    ],
                )
            }
            6 => (
                "DiscoverySearchMailbox {D919BA05-46A6-415f-80AD-7E09334BB852}".into(),
                format!("SM_{}", &hex[..12].to_uppercase()),
                514,
                false,
                vec![
                    ("mailNickname", s("DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}")),
                    ("msExchRecipientTypeDetails", Value::Num(536_870_912)),
                ],
            ),
            7 => (
                "Cloud User Written Back".into(),
                "cloudwb1".into(),
                512,
                false,
                vec![("adminDescription", s(format!("User_{}", guid_text(&rng.bytes16()))))],
            ),
            _ => return None,
        };
        let guid = rng.bytes16();
        let mut attributes = vec![
            (
                "objectClass",
                classes(&["top", "person", "organizationalPerson", "user"]),
            ),
            ("cn", s(cn.clone())),
            ("name", s(cn.clone())),
            ("objectGUID", Value::Bin(guid)),
            ("objectSid", Value::Bin(self.sid(500 + n as u32))),
            ("userAccountControl", Value::Num(uac)),
            ("sAMAccountName", s(sam)),
        ];
        if critical {
            attributes.push(("isCriticalSystemObject", Value::Bool(true)));
        }
        attributes.extend(extra);
        Some(GeneratedObject {
            dn: format!("CN={},{users}", escape_rdn(&cn)),
            attributes,
        })
    }

    fn user(&self, i: usize) -> GeneratedObject {
        let o = &self.options;
        let n = self.user_name(i);
        let mut rng = Rng::new(o.seed, KIND_USER, i);
        let _ = rng.percent(); // the kind, drawn by `user_name`
        let dn = self.user_dn(i);
        let conflict = n.kind == UserKind::Conflict;
        let guid = if conflict {
            // A conflict copy has a GUID of its own: the one in its DN.
            Rng::new(o.seed, KIND_USER, i).bytes16()
        } else {
            rng.bytes16()
        };
        let rid = 1100 + i as u32;
        let (city, c, co) = CITIES[rng.below(CITIES.len())];
        let dept = DEPARTMENTS[(if conflict { i - 1 } else { i }) % DEPARTMENTS.len()];
        let cn_value = if conflict {
            format!("{}\nCNF:{}", n.cn, guid_text(&guid))
        } else {
            n.cn.clone()
        };
        let service = n.kind == UserKind::Service;
        let disabled = n.kind == UserKind::Disabled;
        let mut a: Vec<(&'static str, Value)> = Vec::with_capacity(32);
        a.push((
            "objectClass",
            classes(&["top", "person", "organizationalPerson", "user"]),
        ));
        a.push(("cn", s(cn_value.clone())));
        a.push(("distinguishedName", r(dn.clone())));
        a.push(("instanceType", Value::Num(4)));
        a.push(("name", s(cn_value)));
        a.push(("objectGUID", Value::Bin(guid.clone())));
        let uac = if disabled {
            514
        } else if service || rng.percent() < 10 {
            66048
        } else {
            512
        };
        a.push(("objectSid", Value::Bin(self.sid(rid))));
        a.push(("primaryGroupID", Value::Num(513)));
        a.push((
            "objectCategory",
            r(format!(
                "CN=Person,CN=Schema,CN=Configuration,{}",
                self.root
            )),
        ));
        let sam = if conflict {
            format!("$DUPLICATE-{:x}", rid)
        } else {
            n.sam.clone()
        };
        a.push(("sAMAccountName", s(sam.clone())));
        a.push(("sAMAccountType", Value::Num(805_306_368)));
        a.push((
            "pwdLastSet",
            Value::Num(133_000_000_000_000_000 + (rng.next() % 300_000_000_000_000) as i64),
        ));
        a.push((
            "accountExpires",
            Value::Num(if rng.percent() < 95 {
                9_223_372_036_854_775_807
            } else {
                0
            }),
        ));
        if service {
            a.push((
                "description",
                s(format!("Service account for {}", APPS[i % APPS.len()])),
            ));
            if rng.percent() < 50 {
                a.push(("userPrincipalName", s(format!("{sam}@{}", o.domain))));
            }
            a.push(("userAccountControl", Value::Num(uac)));
            return GeneratedObject { dn, attributes: a };
        }
        a.push(("userAccountControl", Value::Num(uac)));
        a.push(("givenName", s(n.given)));
        a.push(("sn", s(n.sn)));
        let display = if rng.percent() < 15 {
            format!("{}, {}", n.sn, n.given)
        } else {
            format!("{} {}", n.given, n.sn)
        };
        if rng.percent() < 97 {
            a.push(("displayName", s(display)));
        }
        if rng.percent() < 96 {
            a.push(("userPrincipalName", s(format!("{sam}@{}", o.domain))));
        }
        a.push(("department", s(dept)));
        a.push((
            "title",
            s(format!("{dept} {}", TITLES[rng.below(TITLES.len())])),
        ));
        a.push((
            "company",
            s(if rng.percent() < 90 {
                "Contoso"
            } else {
                "Fabrikam"
            }),
        ));
        a.push(("l", s(city)));
        a.push(("c", s(c)));
        a.push(("co", s(co)));
        a.push((
            "telephoneNumber",
            s(format!("+1 425 555 {:04}", i % 10_000)),
        ));
        a.push(("employeeID", s(format!("E{:06}", i))));
        if rng.percent() < 8 {
            a.push(("employeeType", s("Contractor")));
        } else {
            a.push(("employeeType", s("Employee")));
        }
        if rng.percent() < 30 {
            a.push((
                "extensionAttribute15",
                s(format!("CC-{:04}", rng.below(400))),
            ));
        }
        if i > 10 && rng.percent() < 80 {
            let m = rng.below(i.min(5000));
            if m != i && self.user_name(m).kind != UserKind::Conflict {
                a.push(("manager", r(self.user_dn(m))));
            }
        }
        if rng.percent() < 5 {
            a.push((
                "description",
                Value::Multi(vec![
                    s(format!("  {dept} team member  ")),
                    s("second description value"),
                ]),
            ));
        }
        let nick = ascii_fold(&format!("{}.{}", n.given, n.sn)).to_lowercase() + &format!("{i}");
        let nick = nick.replace("..", ".");
        let primary = format!("{nick}@{}", o.domain);
        let tenant = format!("{}.mail.onmicrosoft.com", self.netbios.to_ascii_lowercase());
        let exchange = rng.percent();
        let mut proxies = vec![
            s(format!("SMTP:{primary}")),
            s(format!("smtp:{sam}@{}", o.domain)),
        ];
        match exchange {
            // A mailbox.
            0..=54 => {
                a.push(("mail", s(primary.clone())));
                a.push(("mailNickname", s(nick.clone())));
                a.push(("proxyAddresses", Value::Multi(proxies)));
                a.push(("msExchRecipientTypeDetails", Value::Num(1)));
                a.push(("msExchRecipientDisplayType", Value::Num(1_073_741_824)));
                a.push(("msExchMailboxGuid", Value::Bin(rng.bytes16())));
                a.push(("homeMDB", r(format!("CN=DB{:02},CN=Databases,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN={},CN=Microsoft Exchange,CN=Services,CN=Configuration,{}", i % 8 + 1, self.netbios, self.root))));
            }
            // A remote (Exchange Online) mailbox.
            55..=74 => {
                proxies.push(s(format!("smtp:{nick}@{tenant}")));
                a.push(("mail", s(primary.clone())));
                a.push(("mailNickname", s(nick.clone())));
                a.push(("proxyAddresses", Value::Multi(proxies)));
                a.push(("targetAddress", s(format!("SMTP:{nick}@{tenant}"))));
                a.push(("msExchRecipientTypeDetails", Value::Num(2_147_483_648)));
                a.push(("msExchRecipientDisplayType", Value::Num(-2_147_483_642)));
                a.push(("msExchRemoteRecipientType", Value::Num(4)));
            }
            // A mail user.
            75..=77 => {
                a.push(("mail", s(primary.clone())));
                a.push(("mailNickname", s(nick.clone())));
                a.push(("proxyAddresses", Value::Multi(proxies)));
                a.push(("targetAddress", s(format!("SMTP:{nick}@partner.example"))));
                a.push(("msExchRecipientTypeDetails", Value::Num(128)));
            }
            // A linked mailbox: disabled, its master account in another forest.
            78..=79 => {
                a.retain(|(n, _)| *n != "userAccountControl");
                a.push(("userAccountControl", Value::Num(514)));
                a.push(("mail", s(primary.clone())));
                a.push(("mailNickname", s(nick.clone())));
                a.push(("proxyAddresses", Value::Multi(proxies)));
                a.push(("msExchRecipientTypeDetails", Value::Num(2)));
                // The master account: the user with the same number in the account forest
                // when one is given (so the two join, as in a resource-forest deployment),
                // else an account of a forest that is not exported.
                let other = [
                    21,
                    rng.next() as u32 % 1_000_000_000 + 1_000_000_000,
                    rng.next() as u32 % 1_000_000_000 + 1_000_000_000,
                    rng.next() as u32 % 1_000_000_000 + 1_000_000_000,
                ];
                let master = sid_bytes(&self.account_sid.unwrap_or(other), 1100 + i as u32);
                a.push(("msExchMasterAccountSid", Value::Bin(master)));
                a.push(("msExchMailboxGuid", Value::Bin(rng.bytes16())));
            }
            // A shared mailbox: disabled.
            80 => {
                a.retain(|(n, _)| *n != "userAccountControl");
                a.push(("userAccountControl", Value::Num(514)));
                a.push(("mail", s(primary.clone())));
                a.push(("mailNickname", s(nick.clone())));
                a.push(("proxyAddresses", Value::Multi(proxies)));
                a.push(("msExchRecipientTypeDetails", Value::Num(4)));
                a.push(("msExchMailboxGuid", Value::Bin(rng.bytes16())));
            }
            // No Exchange; some have a mail address all the same.
            _ => {
                if rng.percent() < 40 {
                    a.push(("mail", s(primary.clone())));
                }
            }
        }
        if rng.percent() < 60 {
            a.push(("mS-DS-ConsistencyGuid", Value::Bin(guid)));
        }
        GeneratedObject { dn, attributes: a }
    }

    fn group(&self, j: usize) -> GeneratedObject {
        let o = &self.options;
        let mut rng = Rng::new(o.seed, KIND_GROUP, j);
        let (name, dn) = self.group_name(j);
        let base = if j % 200 == 199 { j - 1 } else { j };
        let big = base == 0 && self.big_group();
        // groupType: security global / universal / domain local, distribution universal.
        let (group_type, mail_enabled, details): (i64, bool, i64) = if big {
            (-2_147_483_646, false, 0)
        } else {
            match base % 10 {
                0..=3 => (-2_147_483_646, false, 0),
                4 | 5 => (-2_147_483_640, true, 1024),
                6 | 7 => (8, true, 256),
                8 => (8, false, 0),
                _ => (-2_147_483_644, false, 0),
            }
        };
        let mut a: Vec<(&'static str, Value)> = Vec::with_capacity(16);
        a.push(("objectClass", classes(&["top", "group"])));
        if j % 200 == 199 {
            a.push((
                "cn",
                s(format!("{name}\nCNF:{}", guid_text(&rng.bytes16()))),
            ));
        } else {
            a.push(("cn", s(name.clone())));
        }
        a.push(("distinguishedName", r(dn.clone())));
        a.push(("name", s(name.clone())));
        a.push(("objectGUID", Value::Bin(rng.bytes16())));
        a.push(("objectSid", Value::Bin(self.sid(900_000 + j as u32))));
        let sam = if j % 200 == 199 {
            format!("$DUPLICATE-g{j:x}")
        } else {
            name.clone()
        };
        a.push(("sAMAccountName", s(sam)));
        a.push((
            "sAMAccountType",
            Value::Num(if group_type < 0 {
                268_435_456
            } else {
                268_435_457
            }),
        ));
        a.push(("groupType", Value::Num(group_type)));
        a.push((
            "description",
            s(format!("{} group", DEPARTMENTS[j % DEPARTMENTS.len()])),
        ));
        if j == 5 {
            a.push((
                "adminDescription",
                s(format!("Group_{}", guid_text(&rng.bytes16()))),
            ));
        }
        if o.users > 0 {
            a.push(("managedBy", r(self.user_dn(rng.below(o.users)))));
        }
        if mail_enabled {
            let nick = ascii_fold(&name).to_lowercase();
            a.push(("mail", s(format!("{nick}@{}", o.domain))));
            a.push(("mailNickname", s(nick.clone())));
            a.push((
                "proxyAddresses",
                Value::Multi(vec![s(format!("SMTP:{nick}@{}", o.domain))]),
            ));
            a.push(("msExchRecipientTypeDetails", Value::Num(details)));
            a.push((
                "msExchRecipientDisplayType",
                Value::Num(if group_type < 0 { 1_073_741_833 } else { 1 }),
            ));
        }
        // Members: distinct users (a run of consecutive indexes from a random start, so there
        // are no duplicates), now and then a nested group or a contact.
        let count = if big {
            o.member_limit + 1
        } else if o.members == 0 {
            0
        } else {
            rng.below(2 * o.members + 1)
        };
        let count = count.min(o.users);
        if count > 0 {
            let start = rng.below(o.users);
            let mut members: Vec<Value> = Vec::with_capacity(count + 2);
            for m in 0..count {
                members.push(r(self.user_dn((start + m) % o.users)));
            }
            if !big && j > 0 && rng.percent() < 10 {
                members.push(r(self.group_name(rng.below(j)).1));
            }
            if !big && o.contacts > 0 && rng.percent() < 10 {
                members.push(r(self.contact_dn(rng.below(o.contacts))));
            }
            a.push(("member", Value::Multi(members)));
        }
        GeneratedObject { dn, attributes: a }
    }

    fn contact(&self, k: usize) -> GeneratedObject {
        let o = &self.options;
        let mut rng = Rng::new(o.seed, KIND_CONTACT, k);
        let given = FIRST[(k * 7) % FIRST.len()];
        let sn = LAST[(k * 3 + 1) % LAST.len()];
        let dn = self.contact_dn(k);
        let cn = format!("{given} {sn} (Partner {k})");
        let address = format!(
            "{}.{}@partner{}.example",
            ascii_fold(given).to_lowercase(),
            ascii_fold(sn).to_lowercase(),
            k % 5
        );
        let mut a: Vec<(&'static str, Value)> = vec![
            (
                "objectClass",
                classes(&["top", "person", "organizationalPerson", "contact"]),
            ),
            ("cn", s(cn.clone())),
            ("distinguishedName", r(dn.clone())),
            ("name", s(cn)),
            ("objectGUID", Value::Bin(rng.bytes16())),
            ("givenName", s(given)),
            ("sn", s(sn)),
            ("displayName", s(format!("{given} {sn} (Partner)"))),
            ("company", s(format!("Partner {}", k % 5))),
        ];
        let p = rng.percent();
        if p < 80 {
            let nick = format!("partner{k}");
            a.push(("mail", s(address.clone())));
            a.push(("mailNickname", s(nick)));
            a.push((
                "proxyAddresses",
                Value::Multi(vec![s(format!("SMTP:{address}"))]),
            ));
            a.push(("targetAddress", s(format!("SMTP:{address}"))));
            a.push(("msExchRecipientTypeDetails", Value::Num(64)));
            a.push(("msExchRecipientDisplayType", Value::Num(6)));
        } else if p < 90 {
            // Mail but no proxyAddresses: not mail-enabled for Exchange.
            a.push(("mail", s(address)));
        }
        GeneratedObject { dn, attributes: a }
    }

    fn computer(&self, m: usize) -> GeneratedObject {
        let o = &self.options;
        let mut rng = Rng::new(o.seed, KIND_COMPUTER, m);
        let dc = m < 2;
        let (name, ou, (os, version, cert)) = if dc {
            (
                format!("DC{:02}", m + 1),
                self.dn_ou("OU=Domain Controllers"),
                SERVER_SYSTEMS[0],
            )
        } else {
            match rng.percent() {
                0..=69 => (
                    format!("WS{m:06}"),
                    self.dn_ou("OU=Workstations,OU=CORP"),
                    SYSTEMS[rng.below(SYSTEMS.len())],
                ),
                70..=89 => (
                    format!("SRV{m:05}"),
                    self.dn_ou("OU=Servers,OU=CORP"),
                    SERVER_SYSTEMS[rng.below(SERVER_SYSTEMS.len())],
                ),
                _ => (
                    format!("PC{m:06}"),
                    self.dn_ou("CN=Computers"),
                    SYSTEMS[rng.below(SYSTEMS.len())],
                ),
            }
        };
        let dn = format!("CN={name},{ou}");
        let mut a: Vec<(&'static str, Value)> = vec![
            (
                "objectClass",
                classes(&["top", "person", "organizationalPerson", "user", "computer"]),
            ),
            ("cn", s(name.clone())),
            ("distinguishedName", r(dn.clone())),
            ("name", s(name.clone())),
            ("objectGUID", Value::Bin(rng.bytes16())),
            ("objectSid", Value::Bin(self.sid(2_000_000 + m as u32))),
            (
                "userAccountControl",
                Value::Num(if dc {
                    532_480
                } else if rng.percent() < 5 {
                    4098
                } else {
                    4096
                }),
            ),
            ("sAMAccountName", s(format!("{name}$"))),
            ("sAMAccountType", Value::Num(805_306_369)),
            (
                "dNSHostName",
                s(format!("{}.{}", name.to_lowercase(), o.domain)),
            ),
            ("operatingSystem", s(os)),
            ("operatingSystemVersion", s(version)),
        ];
        if dc {
            a.push(("isCriticalSystemObject", Value::Bool(true)));
        }
        if cert && rng.percent() < 60 {
            // A DER SEQUENCE header and random content: enough for `userCertificate ISNOTNULL`.
            let len = 600 + rng.below(400);
            let mut der = vec![0x30, 0x82, (len >> 8) as u8, (len & 0xff) as u8];
            while der.len() < len + 4 {
                der.extend_from_slice(&rng.next().to_le_bytes());
            }
            der.truncate(len + 4);
            a.push(("userCertificate", Value::Bin(der)));
        }
        GeneratedObject { dn, attributes: a }
    }
}

impl Iterator for Generated {
    type Item = GeneratedObject;

    fn next(&mut self) -> Option<GeneratedObject> {
        loop {
            let i = self.index;
            self.index += 1;
            let item = match self.phase {
                Phase::Containers => self.containers().into_iter().nth(i),
                Phase::Special => self.special(i),
                Phase::Users => (i < self.options.users).then(|| self.user(i)),
                Phase::Groups => (i < self.options.groups).then(|| self.group(i)),
                Phase::Contacts => (i < self.options.contacts).then(|| self.contact(i)),
                Phase::Computers => (i < self.options.computers).then(|| self.computer(i)),
                Phase::Done => return None,
            };
            if item.is_some() {
                return item;
            }
            self.phase = match self.phase {
                Phase::Containers => Phase::Special,
                Phase::Special => Phase::Users,
                Phase::Users => Phase::Groups,
                Phase::Groups => Phase::Contacts,
                Phase::Contacts => Phase::Computers,
                Phase::Computers | Phase::Done => Phase::Done,
            };
            self.index = 0;
        }
    }
}
