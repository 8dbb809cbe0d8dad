//! Every function of the catalogue with a normal, a null, a multi-valued and an error case, and
//! the operators.

use crate::{b, check, check_error, eval, multi, n, s, EMPTY};
use syncpolicy_expr::catalogue::FUNCTIONS;
use syncpolicy_expr::diagnostic::ExprDiagnosticKind as D;
use syncpolicy_expr::env::{Env, SourceObject};
use syncpolicy_expr::eval::EvalErrorKind as E;
use syncpolicy_expr::object::parse_object;
use syncpolicy_expr::time::DateTime;
use syncpolicy_expr::value::Value;

/// A self-signed EC certificate: CN=Jane Doe, O=Contoso, C=US; serial 1A2B3C; critical
/// basicConstraints and keyUsage; SAN email, DNS, URI and UPN.
pub(crate) const CERT: &str = "MIICATCCAaegAwIBAgIDGis8MAoGCCqGSM49BAMCMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTAeFw0yNjExMjYwODE4MjFaFw0zNjExMjMwODE4MjFaMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEllTS7ijuVp54qwURpGLgbaGKijWJJs/igSiKXvNsmU+RDIqthjIFMGAaprks9I9Oju9Fbl0DasqAzGAG6wZD6jgaswgagwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwaQYDVR0RBGIwYIEQamFuZUBjb250b3NvLmNvbYIQamFuZS5jb250b3NvLmNvbYYYaHR0cHM6Ly9jb250b3NvLmNvbS9qYW5loCAGCisGAQQBgjcUAgOgEgwQamFuZUBjb250b3NvLmNvbTAdBgNVHQ4EFgQUsSlj+5f3vYmMcKG4Skf7nVboYg0wCgYIKoZIzj0EAwIDSAAwRQIhAJ885Kh5UM43leY3e55cUEP07bpYMcwo9O4hWUUZ4HUlAiAmTGBPFwBvDfsxa60QImO2xqG/H7b+aNEBMhJ5gDRt6g==";

const CERT_SHA1: &str = "1DC78DF3BC2486E5E776A4CB9BF64717C6350410";

fn object() -> String {
    format!(
        r#"{{
        "s": "  Hello World  ", "t": "John Doe", "num": 12, "numstr": "12", "flag": true,
        "empty": "",
        "mv": ["  a  ", "b", " c"],
        "mails": ["SMTP:a@contoso.com", "smtp:b@fabrikam.com", "SIP:a@contoso.com"],
        "phones": ["555-1234", "555-9876"],
        "nums": [1, 2, 3],
        "dates": ["2012-01-01", "2013-01-01"],
        "dn": {{"dn": "CN=Joe,OU=Atlanta,OU=GA,OU=US,DC=contoso,DC=com"}},
        "refs": [{{"dn": "CN=a,DC=x"}}, {{"dn": "CN=b,DC=x"}}],
        "guid": {{"guid": "6f9619ff-8b86-d011-b42d-00c04fc964ff"}},
        "sid": {{"sid": "S-1-5-21-1-2-3-500"}},
        "sids": [{{"sid": "S-1-5-32-544"}}, {{"sid": "S-1-1-0"}}],
        "cert": {{"base64": "{CERT}"}},
        "certs": [{{"base64": "{CERT}"}}, {{"base64": "{CERT}"}}],
        "ft": 129699324000000000,
        "member": [{{"dn": "CN=a"}}, {{"dn": "CN=b"}}, {{"dn": "CN=c"}}],
        "proxyAddresses": ["SMTP:new@contoso.com"],
        "$imported": {{"proxyAddresses": ["SMTP:old@contoso.com", "smtp:x@contoso.com"]}}
    }}"#
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Normal,
    Null,
    Multi,
    Error,
}

enum Want {
    Value(Value),
    Eval(E),
    Compile(D),
}

struct Case {
    func: &'static str,
    tag: Tag,
    expr: String,
    want: Want,
}

fn v(func: &'static str, tag: Tag, expr: &str, value: Value) -> Case {
    Case {
        func,
        tag,
        expr: expr.to_string(),
        want: Want::Value(value),
    }
}

fn e(func: &'static str, expr: &str, kind: E) -> Case {
    Case {
        func,
        tag: Tag::Error,
        expr: expr.to_string(),
        want: Want::Eval(kind),
    }
}

fn c(func: &'static str, expr: &str, kind: D) -> Case {
    Case {
        func,
        tag: Tag::Error,
        expr: expr.to_string(),
        want: Want::Compile(kind),
    }
}

fn nums(values: &[i64]) -> Value {
    Value::Multi(values.iter().map(|x| n(*x)).collect())
}

fn bools(values: &[bool]) -> Value {
    Value::Multi(values.iter().map(|x| b(*x)).collect())
}

fn date(text: &str) -> Value {
    Value::Date(DateTime::parse(text).expect("test date"))
}

use Tag::{Multi as M, Normal as N, Null as Z};

fn cases() -> Vec<Case> {
    let null = Value::Null;
    let mut cases = vec![
        // Program flow.
        v("IIF", N, r#"IIF([flag],"y","n")"#, s("y")),
        v("IIF", Z, r#"IIF([absent],"y","n")"#, s("n")),
        v(
            "IIF",
            M,
            "IIF(Len([mv])>1,[mv],NULL)",
            multi(&["  a  ", " c"]),
        ),
        e("IIF", r#"IIF([t],"y","n")"#, E::Type),
        c("IIF", r#"IIF("abc","y","n")"#, D::TypeMismatch),
        v(
            "Switch",
            N,
            r#"Switch([num]=1,"one",[num]=12,"twelve")"#,
            s("twelve"),
        ),
        v("Switch", Z, r#"Switch([num]=1,"one")"#, null.clone()),
        v(
            "Switch",
            M,
            r#"Switch([nums]=2,"two",True,"other")"#,
            multi(&["other", "two", "other"]),
        ),
        e("Switch", r#"Switch(True,"a",CNum([t])=1,"b")"#, E::Type),
        e("Switch", r#"Switch([num]=12,Error("boom"))"#, E::Raised),
        c("Switch", "Switch(True)", D::UnpairedSwitch),
        e("Error", r#"Error("boom")"#, E::Raised),
        v("Error", N, r#"IIF(False,Error("never"),"lazy")"#, s("lazy")),
        e("Error", "Error(NULL)", E::Raised),
        v(
            "Error",
            Z,
            r#"IIF(IsPresent([absent]),Error([absent]),"ok")"#,
            s("ok"),
        ),
        e("Error", "Error([mv])", E::Raised),
        v(
            "Error",
            M,
            r#"IIF(Count([mv])=3,"three",Error("count"))"#,
            s("three"),
        ),
        c("Error", "Error()", D::WrongArgumentCount),
        v(
            "Select",
            N,
            r#"Select($item,[phones],Replace($item,"-",""))"#,
            multi(&["5551234", "5559876"]),
        ),
        v(
            "Select",
            Z,
            "Select($item,[absent],Trim($item))",
            null.clone(),
        ),
        v(
            "Select",
            M,
            r#"Select($item,[mv],IIF($item="b",NULL,Trim($item)))"#,
            multi(&["a", "c"]),
        ),
        c("Select", "Select([a],[mv],1)", D::ExpectedVariable),
        e("Select", "Select($item,[mv],CNum($item))", E::Type),
        v("Where", N, "Where($item,[nums],$item>1)", nums(&[2, 3])),
        v("Where", Z, "Where($item,[absent],True)", null.clone()),
        v(
            "Where",
            M,
            r#"Where($item,[dates],CDate($item)>CDate("2012-06-01"))"#,
            multi(&["2013-01-01"]),
        ),
        e("Where", "Where($item,[mv],$item)", E::Type),
        v(
            "With",
            N,
            r#"With($x,Trim([s]),$x & "!")"#,
            s("Hello World!"),
        ),
        v("With", Z, "With($x,[absent],IsNull($x))", b(true)),
        v("With", M, "With($x,[mv],Count($x))", n(3)),
        c("With", "With($x,[mv],Trim($y))", D::UnboundVariable),
        // Evaluation.
        v("IsPresent", N, "IsPresent([t])", b(true)),
        v("IsPresent", Z, "IsPresent([absent])", b(false)),
        v("IsPresent", Z, "IsPresent([empty])", b(false)),
        v("IsPresent", M, "IsPresent([mv])", b(true)),
        c("IsPresent", "IsPresent()", D::WrongArgumentCount),
        v("IsNullOrEmpty", N, "IsNullOrEmpty([t])", b(false)),
        v("IsNullOrEmpty", Z, "IsNullOrEmpty([absent])", b(true)),
        v("IsNullOrEmpty", Z, "IsNullOrEmpty([empty])", b(true)),
        v("IsNullOrEmpty", M, "IsNullOrEmpty([mv])", b(false)),
        c(
            "IsNullOrEmpty",
            "IsNullOrEmpty([a],[b])",
            D::WrongArgumentCount,
        ),
        v("IsNull", N, "IsNull([t])", b(false)),
        v("IsNull", N, "IsNull([empty])", b(false)),
        v("IsNull", Z, "IsNull([absent])", b(true)),
        v("IsNull", M, "IsNull([mv])", b(false)),
        c("IsNull", "IsNull(vbTextCompare)", D::TypeMismatch),
        v("IsEmpty", N, "IsEmpty([empty])", b(true)),
        v("IsEmpty", N, "IsEmpty([t])", b(false)),
        v("IsEmpty", Z, "IsEmpty([absent])", b(false)),
        v("IsEmpty", M, "IsEmpty([mv])", b(false)),
        c("IsEmpty", "IsEmpty()", D::WrongArgumentCount),
        v("IsString", N, "IsString([t])", b(true)),
        v("IsString", N, "IsString([guid])", b(false)),
        v("IsString", Z, "IsString([absent])", b(false)),
        v("IsString", M, "IsString([mv])", b(true)),
        c("IsString", "IsString()", D::WrongArgumentCount),
        v("IsNumeric", N, "IsNumeric([numstr])", b(true)),
        v("IsNumeric", N, "IsNumeric([t])", b(false)),
        v("IsNumeric", Z, "IsNumeric([absent])", b(false)),
        v("IsNumeric", M, "IsNumeric([nums])", b(true)),
        c("IsNumeric", "IsNumeric(1,2)", D::WrongArgumentCount),
        v("IsDate", N, r#"IsDate("2013-01-10 4:00 PM -8")"#, b(true)),
        v("IsDate", N, "IsDate([t])", b(false)),
        v("IsDate", Z, "IsDate([absent])", b(false)),
        v("IsDate", M, "IsDate([dates])", b(true)),
        c("IsDate", "IsDate()", D::WrongArgumentCount),
        v(
            "IsGuid",
            N,
            r#"IsGuid("{6f9619ff-8b86-d011-b42d-00c04fc964ff}")"#,
            b(true),
        ),
        v(
            "IsGuid",
            N,
            r#"IsGuid("6f9619ff-8b86-d011-b42d")"#,
            b(false),
        ),
        v("IsGuid", Z, "IsGuid([absent])", b(false)),
        v("IsGuid", M, "IsGuid([mv])", bools(&[false, false, false])),
        c("IsGuid", "IsGuid(True)", D::TypeMismatch),
        v("IsBitSet", N, "IsBitSet(&HF,4)", b(true)),
        v("IsBitSet", N, "IsBitSet(8,4)", b(false)),
        v("IsBitSet", Z, "IsBitSet([absent],4)", b(false)),
        v(
            "IsBitSet",
            M,
            "IsBitSet([nums],1)",
            bools(&[true, false, true]),
        ),
        e("IsBitSet", "IsBitSet([t],1)", E::Type),
        v("IsCert", N, "IsCert([cert])", b(true)),
        v("IsCert", N, "IsCert([guid])", b(false)),
        v("IsCert", Z, "IsCert([absent])", b(false)),
        v("IsCert", M, "IsCert([certs])", bools(&[true, true])),
        c("IsCert", "IsCert(5)", D::TypeMismatch),
        // Conversion.
        v("CBool", N, "CBool([num])", b(true)),
        v("CBool", N, "CBool(0)", b(false)),
        v("CBool", N, r#"CBool("TRUE")"#, b(true)),
        v("CBool", Z, "CBool(NULL)", b(false)),
        v("CBool", M, "CBool([nums])", bools(&[true, true, true])),
        e("CBool", "CBool([t])", E::Type),
        v(
            "CDate",
            N,
            r#"CDate("2013-01-10 4:00 PM -8")"#,
            date("2013-01-11T00:00:00Z"),
        ),
        v(
            "CDate",
            N,
            r#"CDate("20120101230000.0Z")"#,
            date("2012-01-01T23:00:00Z"),
        ),
        v("CDate", Z, "CDate([absent])", null.clone()),
        v(
            "CDate",
            M,
            "CDate([dates])",
            Value::Multi(vec![date("2012-01-01"), date("2013-01-01")]),
        ),
        e("CDate", "CDate([t])", E::InvalidArgument),
        v(
            "CGuid",
            N,
            r#"CGuid("6f9619ff-8b86-d011-b42d-00c04fc964ff") = [guid]"#,
            b(true),
        ),
        v("CGuid", Z, "CGuid([absent])", null.clone()),
        v(
            "CGuid",
            M,
            r#"Count(CGuid(Split("6f9619ff-8b86-d011-b42d-00c04fc964ff,00000000-0000-0000-0000-000000000001",",")))"#,
            n(2),
        ),
        e("CGuid", r#"CGuid("nope")"#, E::InvalidArgument),
        v(
            "StringFromGuid",
            N,
            "StringFromGuid([guid])",
            s("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
        ),
        v(
            "StringFromGuid",
            Z,
            "StringFromGuid([absent])",
            null.clone(),
        ),
        v(
            "StringFromGuid",
            M,
            r#"StringFromGuid(CGuid(Split("6f9619ff-8b86-d011-b42d-00c04fc964ff,00000000-0000-0000-0000-000000000001",",")))"#,
            multi(&[
                "6f9619ff-8b86-d011-b42d-00c04fc964ff",
                "00000000-0000-0000-0000-000000000001",
            ]),
        ),
        e(
            "StringFromGuid",
            "StringFromGuid([sid])",
            E::InvalidArgument,
        ),
        v(
            "StringFromSid",
            N,
            "StringFromSid([sid])",
            s("S-1-5-21-1-2-3-500"),
        ),
        v("StringFromSid", Z, "StringFromSid([absent])", null.clone()),
        v(
            "StringFromSid",
            M,
            "StringFromSid([sids])",
            multi(&["S-1-5-32-544", "S-1-1-0"]),
        ),
        e("StringFromSid", "StringFromSid([guid])", E::InvalidArgument),
        v("CNum", N, "CNum([numstr])", n(12)),
        v("CNum", N, "CNum(True)", n(1)),
        v("CNum", Z, "CNum([absent])", null.clone()),
        v("CNum", M, r#"CNum(Split("1,2",","))"#, nums(&[1, 2])),
        e("CNum", "CNum([t])", E::Type),
        v("CRef", N, r#"CRef("CN=a")"#, Value::Ref("CN=a".into())),
        v("CRef", Z, "CRef([absent])", null.clone()),
        v(
            "CRef",
            M,
            r#"CRef(Split("CN=a;CN=b",";"))"#,
            Value::Multi(vec![Value::Ref("CN=a".into()), Value::Ref("CN=b".into())]),
        ),
        e("CRef", "CRef([guid])", E::Type),
        c("CRef", "CRef(True)", D::TypeMismatch),
        v("CStr", N, "CStr([num])", s("12")),
        v(
            "CStr",
            N,
            "CStr([dn])",
            s("CN=Joe,OU=Atlanta,OU=GA,OU=US,DC=contoso,DC=com"),
        ),
        v("CStr", N, "CStr(True)", s("True")),
        v("CStr", Z, "CStr([absent])", null.clone()),
        v("CStr", M, "CStr([nums])", multi(&["1", "2", "3"])),
        e("CStr", "CStr([guid])", E::Type),
        v(
            "ConvertToBase64",
            N,
            r#"ConvertToBase64("Hello world!")"#,
            s("SABlAGwAbABvACAAdwBvAHIAbABkACEA"),
        ),
        v(
            "ConvertToBase64",
            N,
            r#"ConvertToBase64("Hello world!",UTF8)"#,
            s("SGVsbG8gd29ybGQh"),
        ),
        v(
            "ConvertToBase64",
            N,
            "ConvertToBase64([guid])",
            s("/xmWb4aLEdC0LQDAT8lk/w=="),
        ),
        v(
            "ConvertToBase64",
            Z,
            "ConvertToBase64([absent])",
            null.clone(),
        ),
        v(
            "ConvertToBase64",
            M,
            "ConvertToBase64([phones],ASCII)",
            multi(&["NTU1LTEyMzQ=", "NTU1LTk4NzY="]),
        ),
        c(
            "ConvertToBase64",
            r#"ConvertToBase64("x",vbTextCompare)"#,
            D::TypeMismatch,
        ),
        v(
            "ConvertFromBase64",
            N,
            r#"ConvertFromBase64("SABlAGwAbABvACAAdwBvAHIAbABkACEA")"#,
            s("Hello world!"),
        ),
        v(
            "ConvertFromBase64",
            N,
            r#"ConvertFromBase64("SGVsbG8gd29ybGQh",UTF8)"#,
            s("Hello world!"),
        ),
        v(
            "ConvertFromBase64",
            Z,
            "ConvertFromBase64([absent])",
            null.clone(),
        ),
        v(
            "ConvertFromBase64",
            M,
            r#"ConvertFromBase64(Split("YQ==,Yg==",","),UTF8)"#,
            multi(&["a", "b"]),
        ),
        e(
            "ConvertFromBase64",
            r#"ConvertFromBase64("***")"#,
            E::InvalidArgument,
        ),
        v(
            "ConvertToUTF8Hex",
            N,
            r#"ConvertToUTF8Hex("Hello world!")"#,
            s("48656C6C6F20776F726C6421"),
        ),
        v(
            "ConvertToUTF8Hex",
            Z,
            "ConvertToUTF8Hex([absent])",
            null.clone(),
        ),
        v(
            "ConvertToUTF8Hex",
            M,
            "ConvertToUTF8Hex([phones])",
            multi(&["3535352D31323334", "3535352D39383736"]),
        ),
        e("ConvertToUTF8Hex", "ConvertToUTF8Hex([guid])", E::Type),
        v(
            "ConvertFromUTF8Hex",
            N,
            r#"ConvertFromUTF8Hex("48656C6C6F20776F726C6421")"#,
            s("Hello world!"),
        ),
        v(
            "ConvertFromUTF8Hex",
            Z,
            "ConvertFromUTF8Hex([absent])",
            null.clone(),
        ),
        v(
            "ConvertFromUTF8Hex",
            M,
            "ConvertFromUTF8Hex(ConvertToUTF8Hex([phones]))",
            multi(&["555-1234", "555-9876"]),
        ),
        e(
            "ConvertFromUTF8Hex",
            r#"ConvertFromUTF8Hex("zz")"#,
            E::InvalidArgument,
        ),
        // Date and time.
        v(
            "DateFromNum",
            N,
            r#"FormatDateTime(DateFromNum(129699324000000000),"yyyy-MM-dd HH:mm:ss")"#,
            s("2012-01-01 23:00:00"),
        ),
        v("DateFromNum", Z, "DateFromNum([absent])", null.clone()),
        v(
            "DateFromNum",
            M,
            r#"FormatDateTime(DateFromNum([nums]),"yyyy-MM-dd fffffff")"#,
            multi(&[
                "1601-01-01 0000001",
                "1601-01-01 0000002",
                "1601-01-01 0000003",
            ]),
        ),
        e(
            "DateFromNum",
            "DateFromNum(-999999999999999999)",
            E::InvalidArgument,
        ),
        v(
            "NumFromDate",
            N,
            "NumFromDate(DateFromNum([ft]))",
            n(129_699_324_000_000_000),
        ),
        v("NumFromDate", Z, "NumFromDate([absent])", null.clone()),
        v("NumFromDate", M, "Count(NumFromDate([dates]))", n(2)),
        e("NumFromDate", "NumFromDate([t])", E::InvalidArgument),
        c("NumFromDate", "NumFromDate(5)", D::TypeMismatch),
        v(
            "FormatDateTime",
            N,
            r#"FormatDateTime(CDate("2013-01-10 4:00 PM -8"),"dddd d MMMM yyyy h:mm tt")"#,
            s("Friday 11 January 2013 12:00 AM"),
        ),
        v(
            "FormatDateTime",
            N,
            r#"FormatDateTime(DateFromNum([ft]),"yyyyMMddHHmmss.0Z")"#,
            s("20120101230000.0Z"),
        ),
        v(
            "FormatDateTime",
            Z,
            r#"FormatDateTime([absent],"yyyy")"#,
            null.clone(),
        ),
        v(
            "FormatDateTime",
            M,
            r#"FormatDateTime([dates],"yyyyMMdd")"#,
            multi(&["20120101", "20130101"]),
        ),
        e(
            "FormatDateTime",
            r#"FormatDateTime([t],"yyyy")"#,
            E::InvalidArgument,
        ),
        c(
            "FormatDateTime",
            r#"FormatDateTime(True,"yyyy")"#,
            D::TypeMismatch,
        ),
        v(
            "DateAdd",
            N,
            r#"FormatDateTime(DateAdd("m",1,CDate("2013-01-31")),"yyyy-MM-dd")"#,
            s("2013-02-28"),
        ),
        v(
            "DateAdd",
            N,
            r#"FormatDateTime(DateAdd("ww",-1,CDate("2013-01-31")),"yyyy-MM-dd")"#,
            s("2013-01-24"),
        ),
        v(
            "DateAdd",
            N,
            r#"FormatDateTime(DateAdd("h",25,CDate("2013-01-31")),"yyyy-MM-dd HH")"#,
            s("2013-02-01 01"),
        ),
        v(
            "DateAdd",
            N,
            r#"FormatDateTime(DateAdd("yyyy",1,CDate("2012-02-29")),"yyyy-MM-dd")"#,
            s("2013-02-28"),
        ),
        v("DateAdd", Z, r#"DateAdd("d",1,NULL)"#, null.clone()),
        v(
            "DateAdd",
            M,
            r#"FormatDateTime(DateAdd("q",1,[dates]),"yyyy-MM")"#,
            multi(&["2012-04", "2013-04"]),
        ),
        e("DateAdd", r#"DateAdd("x",1,[dates])"#, E::InvalidArgument),
        v("Now", N, "Now()", date("2024-05-06T07:08:09Z")),
        c("Now", "Now(1)", D::WrongArgumentCount),
        // Directory.
        v("DNComponent", N, "DNComponent(CRef([dn]),1)", s("Joe")),
        v("DNComponent", N, "DNComponent([dn],2)", s("Atlanta")),
        v("DNComponent", N, "DNComponent([dn],9)", null.clone()),
        v("DNComponent", Z, "DNComponent([absent],1)", null.clone()),
        v(
            "DNComponent",
            M,
            "DNComponent([refs],1)",
            multi(&["a", "b"]),
        ),
        e("DNComponent", "DNComponent([guid],1)", E::Type),
        v("DNComponentRev", N, "DNComponentRev([dn],3)", s("US")),
        v(
            "DNComponentRev",
            N,
            r#"DNComponentRev([dn],1,"DC")"#,
            s("US"),
        ),
        v("DNComponentRev", N, "DNComponentRev([dn],1)", s("com")),
        v(
            "DNComponentRev",
            Z,
            "DNComponentRev([absent],1)",
            null.clone(),
        ),
        v(
            "DNComponentRev",
            M,
            "DNComponentRev([refs],1,DC)",
            multi(&["a", "b"]),
        ),
        c(
            "DNComponentRev",
            r#"DNComponentRev([dn],1,"OU")"#,
            D::TypeMismatch,
        ),
        v(
            "EscapeDNComponent",
            N,
            r#"EscapeDNComponent("Doe, John")"#,
            s("Doe\\, John"),
        ),
        v(
            "EscapeDNComponent",
            N,
            r#"EscapeDNComponent(" #x ")"#,
            s("\\ #x\\ "),
        ),
        v(
            "EscapeDNComponent",
            Z,
            "EscapeDNComponent([absent])",
            null.clone(),
        ),
        v(
            "EscapeDNComponent",
            M,
            r#"EscapeDNComponent(Split("a+b;1+1=2",";"))"#,
            multi(&["a\\+b", "1\\+1\\=2"]),
        ),
        // Microsoft's example (Functions Reference, EscapeDNComponent): the `=` after the
        // attribute type is not escaped; the value is.
        v(
            "EscapeDNComponent",
            N,
            r#"EscapeDNComponent("cn=" & "Doe, John")"#,
            s("cn=Doe\\, John"),
        ),
        v(
            "EscapeDNComponent",
            N,
            r#"EscapeDNComponent("CN= a=b ")"#,
            s("CN=\\ a\\=b\\ "),
        ),
        e("EscapeDNComponent", "EscapeDNComponent([guid])", E::Type),
        // Math.
        v("BitAnd", N, "BitAnd(&HF,&HF7)", n(7)),
        v("BitAnd", Z, "BitAnd([absent],1)", null.clone()),
        v("BitAnd", M, "BitAnd([nums],2)", nums(&[0, 2, 2])),
        e("BitAnd", "BitAnd([t],1)", E::Type),
        v("BitOr", N, "BitOr(1,2)", n(3)),
        v("BitOr", Z, "BitOr(NULL,2)", null.clone()),
        v("BitOr", M, "BitOr([nums],4)", nums(&[5, 6, 7])),
        c("BitOr", r#"BitOr("x",1)"#, D::TypeMismatch),
        v("RandomNum", N, "RandomNum(100,100)", n(100)),
        v(
            "RandomNum",
            N,
            "RandomNum(100,999) >= 100 && RandomNum(100,999) <= 999",
            b(true),
        ),
        v("RandomNum", Z, "RandomNum(NULL,5)", null.clone()),
        v("RandomNum", M, "Count(RandomNum([nums],10))", n(3)),
        c("RandomNum", r#"RandomNum("a",1)"#, D::TypeMismatch),
        // Multi-valued.
        v("Contains", N, r#"Contains([mails],"SIP:")"#, n(3)),
        v("Contains", N, r#"Contains([mails],"sip:")"#, n(0)),
        v(
            "Contains",
            N,
            r#"Contains([mails],"sip:",CaseInsensitive)"#,
            n(3),
        ),
        v("Contains", Z, r#"Contains([absent],"x")"#, n(0)),
        v("Contains", M, r#"Contains([refs],"CN=b,DC=x")"#, n(2)),
        v("Contains", M, r#"Contains([refs],"CN=b")"#, n(0)),
        c(
            "Contains",
            r#"Contains([mails],"x",vbTextCompare)"#,
            D::TypeMismatch,
        ),
        e("Contains", "Contains([mails],[guid])", E::Type),
        v("Count", N, "Count([t])", n(1)),
        v("Count", Z, "Count([absent])", n(0)),
        v("Count", M, "Count([mv])", n(3)),
        c("Count", "Count()", D::WrongArgumentCount),
        v("Item", N, "Item([t],1)", s("John Doe")),
        v("Item", M, "Item([mv],2)", s("b")),
        e("Item", "Item([mv],4)", E::InvalidArgument),
        e("Item", "Item([absent],1)", E::InvalidArgument),
        v(
            "Item",
            Z,
            "IIF(IsPresent([absent]),Item([absent],1),NULL)",
            null.clone(),
        ),
        v("ItemOrNull", N, "ItemOrNull([t],1)", s("John Doe")),
        v("ItemOrNull", M, "ItemOrNull([mv],3)", s(" c")),
        v("ItemOrNull", M, "ItemOrNull([mv],4)", null.clone()),
        v("ItemOrNull", Z, "ItemOrNull([absent],1)", null.clone()),
        c("ItemOrNull", r#"ItemOrNull([mv],"x")"#, D::TypeMismatch),
        v("Join", N, r#"Join(Split("a b c"," "))"#, s("a b c")),
        v("Join", M, r#"Join([nums],",")"#, s("1,2,3")),
        v("Join", M, r#"Join([nums],"")"#, s("123")),
        v("Join", M, "Join([nums],NULL)", s("123")),
        v("Join", Z, "Join([absent])", null.clone()),
        e("Join", "Join([certs])", E::Type),
        v(
            "Split",
            N,
            r#"Split("a,b,,c",",")"#,
            multi(&["a", "b", "", "c"]),
        ),
        v("Split", N, r#"Split("a,b,c",",",2)"#, multi(&["a", "b,c"])),
        v("Split", Z, r#"Split([absent],",")"#, null.clone()),
        v("Split", M, r#"Count(Split([mails],":"))"#, n(6)),
        e("Split", r#"Split("a,b",",,")"#, E::InvalidArgument),
        v(
            "RemoveDuplicates",
            N,
            r#"RemoveDuplicates(Split("a,b,a,B",","))"#,
            multi(&["a", "b", "B"]),
        ),
        v(
            "RemoveDuplicates",
            Z,
            "RemoveDuplicates([absent])",
            null.clone(),
        ),
        v(
            "RemoveDuplicates",
            M,
            "RemoveDuplicates(Trim([mv]))",
            multi(&["a", "b", "c"]),
        ),
        c(
            "RemoveDuplicates",
            "RemoveDuplicates()",
            D::WrongArgumentCount,
        ),
        // Text.
        v("InStr", N, r#"InStr("The quick brown fox","quick")"#, n(5)),
        v("InStr", N, r#"InStr("abcabc","c",4)"#, n(6)),
        v("InStr", N, r#"InStr("ABC","b")"#, n(0)),
        v("InStr", N, r#"InStr("ABC","b",1,vbTextCompare)"#, n(2)),
        v("InStr", N, r#"InStr("ÆØÅ x","x")"#, n(5)),
        v("InStr", Z, r#"InStr([absent],"x")"#, n(0)),
        v("InStr", M, r#"InStr([mails],"@")"#, nums(&[7, 7, 6])),
        e("InStr", r#"InStr([guid],"a")"#, E::Type),
        c("InStr", r#"InStr("abc","b","x")"#, D::TypeMismatch),
        v("InStrRev", N, r#"InStrRev("abbcdbbbef","bb")"#, n(7)),
        v("InStrRev", N, r#"InStrRev("abbcdbbbef","bb",5)"#, n(2)),
        v(
            "InStrRev",
            N,
            r#"InStrRev("aXbx","x",-1,vbTextCompare)"#,
            n(4),
        ),
        v("InStrRev", Z, r#"InStrRev([absent],"x")"#, n(0)),
        v(
            "InStrRev",
            M,
            r#"InStrRev([mails],"o")"#,
            nums(&[17, 18, 16]),
        ),
        c(
            "InStrRev",
            r#"InStrRev("a","b",1,CaseSensitive)"#,
            D::TypeMismatch,
        ),
        v("Left", N, r#"Left("John Doe",3)"#, s("Joh")),
        v("Left", N, r#"Left("abc",0)"#, s("")),
        v("Left", N, r#"Left("abc",-1)"#, s("abc")),
        v("Left", N, r#"Left("abc",10)"#, s("abc")),
        v("Left", Z, "Left([absent],3)", s("")),
        v("Left", M, "Left([mv],3)", multi(&["  a", "b", " c"])),
        e("Left", "Left([t],[t])", E::Type),
        v("Right", N, r#"Right("John Doe",3)"#, s("Doe")),
        v("Right", N, r#"Right("abc",-2)"#, s("abc")),
        v("Right", Z, "Right([absent],3)", s("")),
        v("Right", M, "Right([phones],4)", multi(&["1234", "9876"])),
        e("Right", "Right([guid],1)", E::Type),
        v("Mid", N, r#"Mid("John Doe",3,5)"#, s("hn Do")),
        v("Mid", N, r#"Mid("abc",0,1)"#, s("abc")),
        v("Mid", N, r#"Mid("abc",4,1)"#, s("abc")),
        v("Mid", N, r#"Mid("abc",2,0)"#, s("")),
        v("Mid", N, r#"Mid("abc",2,-1)"#, s("abc")),
        v("Mid", N, r#"Mid("abc",2,10)"#, s("bc")),
        v("Mid", Z, "Mid([absent],1,2)", s("")),
        v("Mid", M, "Mid([phones],5,2)", multi(&["12", "98"])),
        // Two arguments: the rest of the text, as in VBA (the `Item` example of Microsoft's
        // Functions Reference takes the address after `SMTP:` so).
        v(
            "Mid",
            N,
            r#"Mid("SMTP:john@contoso.com",6)"#,
            s("john@contoso.com"),
        ),
        v("Mid", N, r#"Mid("abc",1)"#, s("abc")),
        v("Mid", N, r#"Mid("abc",4)"#, s("abc")),
        v("Mid", Z, "Mid([absent],2)", s("")),
        c("Mid", r#"Mid("abc")"#, D::WrongArgumentCount),
        v("Len", N, "Len([t])", n(8)),
        v("Len", N, r#"Len("Æble")"#, n(4)),
        v("Len", Z, "Len([absent])", null.clone()),
        v("Len", M, "Len([mv])", nums(&[5, 1, 2])),
        e("Len", "Len([guid])", E::Type),
        v("Trim", N, "Trim([s])", s("Hello World")),
        v("Trim", Z, "Trim([absent])", null.clone()),
        v("Trim", M, "Trim([mv])", multi(&["a", "b", "c"])),
        e("Trim", "Trim([guid])", E::Type),
        v("LTrim", N, "LTrim([s])", s("Hello World  ")),
        v("LTrim", Z, "LTrim([absent])", null.clone()),
        v("LTrim", M, "LTrim([mv])", multi(&["a  ", "b", "c"])),
        e("LTrim", "LTrim([cert])", E::Type),
        v("RTrim", N, "RTrim([s])", s("  Hello World")),
        v("RTrim", Z, "RTrim([absent])", null.clone()),
        v("RTrim", M, "RTrim([mv])", multi(&["  a", "b", " c"])),
        c("RTrim", "RTrim(Now())", D::TypeMismatch),
        v("LCase", N, "LCase([t])", s("john doe")),
        v("LCase", Z, "LCase([absent])", null.clone()),
        v("LCase", M, r#"LCase(Split("A,B",","))"#, multi(&["a", "b"])),
        e("LCase", "LCase([guid])", E::Type),
        v("UCase", N, "UCase([t])", s("JOHN DOE")),
        v("UCase", Z, "UCase([absent])", null.clone()),
        v("UCase", M, "UCase(Trim([mv]))", multi(&["A", "B", "C"])),
        c("UCase", "UCase(True)", D::TypeMismatch),
        v(
            "PCase",
            N,
            r#"PCase("hello wORLD of NASA")"#,
            s("Hello World Of NASA"),
        ),
        v("PCase", Z, "PCase([absent])", null.clone()),
        v(
            "PCase",
            M,
            r#"PCase(Split("ab cd,EF",","))"#,
            multi(&["Ab Cd", "EF"]),
        ),
        e("PCase", "PCase([guid])", E::Type),
        v("PadLeft", N, r#"PadLeft("7",3,"0")"#, s("007")),
        v("PadLeft", N, r#"PadLeft("1234",3,"0")"#, s("1234")),
        v("PadLeft", Z, r#"PadLeft([absent],3,"0")"#, s("")),
        v(
            "PadLeft",
            M,
            r#"PadLeft([nums],2,"0")"#,
            multi(&["01", "02", "03"]),
        ),
        e("PadLeft", r#"PadLeft("7",3,"00")"#, E::InvalidArgument),
        v("PadRight", N, r#"PadRight("7",3,"_")"#, s("7__")),
        v("PadRight", Z, r#"PadRight([absent],3,"0")"#, s("")),
        v(
            "PadRight",
            M,
            r#"PadRight(Trim([mv]),2,".")"#,
            multi(&["a.", "b.", "c."]),
        ),
        e(
            "PadRight",
            r#"PadRight("7",99999999,"0")"#,
            E::InvalidArgument,
        ),
        v("Replace", N, r#"Replace("a-b-c","-","")"#, s("abc")),
        v("Replace", N, r#"Replace("a b"," ","\n")"#, s("a\nb")),
        v("Replace", Z, r#"Replace([absent],"a","b")"#, null.clone()),
        v(
            "Replace",
            M,
            r#"Replace([phones],"-",".")"#,
            multi(&["555.1234", "555.9876"]),
        ),
        e("Replace", r#"Replace([guid],"a","b")"#, E::Type),
        v(
            "ReplaceChars",
            N,
            r#"ReplaceChars("Jørn Æble","ø:oe, Æ:AE")"#,
            s("Joern AEble"),
        ),
        v("ReplaceChars", N, r#"ReplaceChars("a-b","-:")"#, s("ab")),
        v(
            "ReplaceChars",
            Z,
            r#"ReplaceChars([absent],"a:b")"#,
            null.clone(),
        ),
        v(
            "ReplaceChars",
            M,
            r#"ReplaceChars([phones],"-:/")"#,
            multi(&["555/1234", "555/9876"]),
        ),
        e(
            "ReplaceChars",
            r#"ReplaceChars("x","ab:c")"#,
            E::InvalidArgument,
        ),
        v(
            "Word",
            N,
            r#"Word("The quick brown fox",3," ")"#,
            s("brown"),
        ),
        v("Word", N, r#"Word("a_b",0,"_")"#, s("")),
        v("Word", N, r#"Word("a_b",3,"_")"#, s("")),
        v("Word", Z, r#"Word([absent],1," ")"#, s("")),
        v(
            "Word",
            M,
            r#"Word([mails],2,":@")"#,
            multi(&["a", "b", "a"]),
        ),
        e("Word", r#"Word("x",[t]," ")"#, E::Type),
        v("Guid", N, "IsGuid(Guid())", b(true)),
        v("Guid", N, "Guid() <> Guid()", b(true)),
        v(
            "Guid",
            M,
            "Count(RemoveDuplicates(Select($item,[mv],Guid())))",
            n(3),
        ),
        c("Guid", "Guid(1)", D::WrongArgumentCount),
        // Out-of-box extras.
        v(
            "ImportedValue",
            N,
            r#"ImportedValue("proxyAddresses")"#,
            multi(&["SMTP:old@contoso.com", "smtp:x@contoso.com"]),
        ),
        v(
            "ImportedValue",
            Z,
            r#"ImportedValue("absent")"#,
            null.clone(),
        ),
        v(
            "ImportedValue",
            M,
            r#"UCase(ImportedValue("proxyAddresses"))"#,
            multi(&["SMTP:OLD@CONTOSO.COM", "SMTP:X@CONTOSO.COM"]),
        ),
        c(
            "ImportedValue",
            "ImportedValue([proxyAddresses])",
            D::ExpectedAttributeName,
        ),
        v("ValueCount", N, r#"ValueCount("t")"#, n(1)),
        v("ValueCount", Z, r#"ValueCount("absent")"#, n(0)),
        v("ValueCount", M, r#"ValueCount("member")"#, n(3)),
        c("ValueCount", "ValueCount(member)", D::UnknownIdentifier),
        v("CBin", N, "CBin(258,2)", Value::Bin(vec![2, 1])),
        v("CBin", N, "ConvertToBase64(CBin(-1,4))", s("/////w==")),
        v("CBin", Z, "CBin([absent],2)", null.clone()),
        v(
            "CBin",
            M,
            "CBin([nums],1)",
            Value::Multi(vec![
                Value::Bin(vec![1]),
                Value::Bin(vec![2]),
                Value::Bin(vec![3]),
            ]),
        ),
        e("CBin", "CBin(256,1)", E::InvalidArgument),
        e("CBin", "CBin(1,9)", E::InvalidArgument),
        v("Thumbprint", N, "Thumbprint([cert])", s(CERT_SHA1)),
        v(
            "Thumbprint",
            N,
            "Thumbprint(CBin(0,1))",
            s("5BA93C9DB0CFF93F52B521D7420E43F6EDA2784F"),
        ),
        v("Thumbprint", Z, "Thumbprint([absent])", null.clone()),
        v(
            "Thumbprint",
            M,
            "Thumbprint([certs])",
            multi(&[CERT_SHA1, CERT_SHA1]),
        ),
        e("Thumbprint", "Thumbprint([num])", E::Type),
    ];

    // Certificates: normal value, then the same null/multi/error pattern for each.
    let cert_values: &[(&'static str, &str, Value)] = &[
        (
            "CertExtensionOids",
            "CertExtensionOids([cert])",
            multi(&["2.5.29.19", "2.5.29.15"]),
        ),
        ("CertFormat", "CertFormat([cert])", s("X509")),
        ("CertFriendlyName", "CertFriendlyName([cert])", s("")),
        ("CertHashString", "CertHashString([cert])", s(CERT_SHA1)),
        (
            "CertIssuer",
            "CertIssuer([cert])",
            s("CN=Jane Doe, O=Contoso, C=US"),
        ),
        (
            "CertIssuerDN",
            "CertIssuerDN([cert])",
            s("CN=Jane Doe, O=Contoso, C=US"),
        ),
        ("CertIssuerOid", "CertIssuerOid([cert])", s("2.5.4.3")),
        (
            "CertKeyAlgorithm",
            "CertKeyAlgorithm([cert])",
            s("1.2.840.10045.2.1"),
        ),
        (
            "CertKeyAlgorithmParams",
            "CertKeyAlgorithmParams([cert])",
            s("06082A8648CE3D030107"),
        ),
        (
            "CertNameInfo",
            r#"CertNameInfo([cert],"UpnName",False)"#,
            s("jane@contoso.com"),
        ),
        (
            "CertNameInfo",
            r#"CertNameInfo([cert],"DnsName",False)"#,
            s("jane.contoso.com"),
        ),
        (
            "CertNameInfo",
            r#"CertNameInfo([cert],"EmailName",False)"#,
            s("jane@contoso.com"),
        ),
        (
            "CertNameInfo",
            r#"CertNameInfo([cert],"UrlName",False)"#,
            s("https://contoso.com/jane"),
        ),
        (
            "CertNameInfo",
            r#"CertNameInfo([cert],"SimpleName",True)"#,
            s("Jane Doe"),
        ),
        (
            "CertNotAfter",
            r#"FormatDateTime(CertNotAfter([cert]),"yyyy-MM-dd HH:mm:ss")"#,
            s("2036-11-23 08:18:21"),
        ),
        (
            "CertNotBefore",
            r#"FormatDateTime(CertNotBefore([cert]),"yyyy-MM-dd HH:mm:ss")"#,
            s("2026-11-26 08:18:21"),
        ),
        (
            "CertPublicKeyOid",
            "CertPublicKeyOid([cert])",
            s("1.2.840.10045.2.1"),
        ),
        (
            "CertPublicKeyParametersOid",
            "CertPublicKeyParametersOid([cert])",
            s("1.2.840.10045.3.1.7"),
        ),
        ("CertSerialNumber", "CertSerialNumber([cert])", s("1A2B3C")),
        (
            "CertSignatureAlgorithmOid",
            "CertSignatureAlgorithmOid([cert])",
            s("1.2.840.10045.4.3.2"),
        ),
        (
            "CertSubject",
            "CertSubject([cert])",
            s("CN=Jane Doe, O=Contoso, C=US"),
        ),
        (
            "CertSubjectNameDN",
            "CertSubjectNameDN([cert])",
            s("CN=Jane Doe, O=Contoso, C=US"),
        ),
        (
            "CertSubjectNameOid",
            "CertSubjectNameOid([cert])",
            s("2.5.4.3"),
        ),
        ("CertThumbprint", "CertThumbprint([cert])", s(CERT_SHA1)),
        ("CertVersion", "CertVersion([cert])", n(3)),
    ];
    for (func, expr, value) in cert_values {
        cases.push(v(func, N, expr, value.clone()));
        let extra = if *func == "CertNameInfo" {
            r#","DnsName",False"#
        } else {
            ""
        };
        cases.push(v(func, Z, &format!("{func}([absent]{extra})"), Value::Null));
        // Two certificates; CertExtensionOids gives two OIDs for each.
        let count = if *func == "CertExtensionOids" { 4 } else { 2 };
        cases.push(v(
            func,
            M,
            &format!("Count({func}([certs]{extra}))"),
            n(count),
        ));
        cases.push(e(
            func,
            &format!("{func}([guid]{extra})"),
            E::InvalidArgument,
        ));
    }
    cases.push(e(
        "CertNameInfo",
        r#"CertNameInfo([cert],"Bogus",False)"#,
        E::InvalidArgument,
    ));
    cases.push(v(
        "Where",
        N,
        "Count(Where($item,[certs],CertNotAfter($item)>Now()))",
        n(2),
    ));
    cases
}

#[test]
fn every_function_case() {
    let object = object();
    let mut failures = Vec::new();
    for case in cases() {
        let outcome = match syncpolicy_expr::compile(&case.expr) {
            Err(diagnostics) => match &case.want {
                Want::Compile(kind) if diagnostics.iter().any(|d| d.kind == *kind) => continue,
                _ => format!("compile errors {diagnostics:?}"),
            },
            Ok(_) => match (eval(&case.expr, &object), &case.want) {
                (Ok(got), Want::Value(want)) if got == *want => continue,
                (Err(err), Want::Eval(kind)) if err.kind == *kind => continue,
                (Ok(got), _) => format!("value {got:?}"),
                (Err(err), _) => format!("error {err:?}"),
            },
        };
        let wanted = match &case.want {
            Want::Value(v) => format!("{v:?}"),
            Want::Eval(k) => format!("eval error {k:?}"),
            Want::Compile(k) => format!("compile error {k:?}"),
        };
        failures.push(format!(
            "{}: `{}` gave {outcome}, wanted {wanted}",
            case.func, case.expr
        ));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_function_has_normal_null_multi_and_error_cases() {
    let cases = cases();
    let mut missing = Vec::new();
    for f in FUNCTIONS {
        let mut needed = vec![Tag::Normal, Tag::Error];
        if !f.params.is_empty() {
            needed.extend([Tag::Null, Tag::Multi]);
        }
        for tag in needed {
            if !cases.iter().any(|c| c.func == f.name && c.tag == tag) {
                missing.push(format!("{} {tag:?}", f.name));
            }
        }
    }
    assert!(missing.is_empty(), "missing cases: {missing:?}");
}

#[test]
fn now_without_a_clock_is_an_error() {
    let object = SourceObject::new();
    let params = crate::parameters();
    let compiled = syncpolicy_expr::compile("Now()").expect("valid");
    let err = compiled
        .eval(&Env::new(&object, &params))
        .expect_err("no clock");
    assert_eq!(err.kind, E::MissingClock);
}

#[test]
fn random_values_follow_the_seed() {
    let object = SourceObject::new();
    let params = crate::parameters();
    let compiled = syncpolicy_expr::compile(r#"Guid() & RandomNum(1,1000000)"#).expect("valid");
    let run = |seed| compiled.eval(&Env::new(&object, &params).with_seed(seed));
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn missing_parameter_is_an_error() {
    let input = parse_object(EMPTY).expect("object");
    let params = syncpolicy_expr::env::Parameters::new();
    let compiled = syncpolicy_expr::compile("%Domain.FQDN%").expect("valid");
    let err = compiled
        .eval(&Env::new(&input.object, &params))
        .expect_err("missing parameter");
    assert_eq!(err.kind, E::MissingParameter);
    assert_eq!(err.span.start, 0);
}

#[test]
fn operators() {
    check(r#""a" & 1 & True & NULL"#, EMPTY, s("a1True"));
    check("7 / 2", EMPTY, n(3));
    check("-[num] + 2", r#"{"num": 5}"#, n(-3));
    check("[absent] + 1", EMPTY, Value::Null);
    check_error("1 / 0", EMPTY, E::Arithmetic, "division by zero");
    check_error("9223372036854775807 + 1", EMPTY, E::Arithmetic, "overflow");
    check(r#"[n] = "2""#, r#"{"n": 2}"#, b(true));
    check(r#""abc" < "abd""#, EMPTY, b(true));
    check(r#""ABC" = "abc""#, EMPTY, b(false));
    check("[absent] = [absent]", EMPTY, b(false));
    check("[absent] <> 1", EMPTY, b(false));
    check(r#"True = "true""#, EMPTY, b(true));
    check(
        r#"CDate("2012-01-01") < CDate("2013-01-01")"#,
        EMPTY,
        b(true),
    );
    check_error(
        r#"[g] = 1"#,
        r#"{"g": {"base64": "AQ=="}}"#,
        E::Type,
        "cannot compare",
    );
    check_error(
        r#"[g] & "x""#,
        r#"{"g": {"base64": "AQ=="}}"#,
        E::Type,
        "concatenate",
    );
    // Short-circuit: the right side is not evaluated.
    check(r#"True || Error("x")"#, EMPTY, b(true));
    check(r#"False && Error("x")"#, EMPTY, b(false));
    check_error(r#"True && Error("x")"#, EMPTY, E::Raised, "x");
    check("CRLF", EMPTY, s("\r\n"));
    check("AuthoritativeNull", EMPTY, Value::AuthoritativeNull);
    check("IgnoreThisFlow", EMPTY, Value::IgnoreThisFlow);
    check("NULL", EMPTY, Value::Null);
    // Multi-valued operands from functions map value by value.
    check(r#"Split("a,b",",") & "!""#, EMPTY, multi(&["a!", "b!"]));
    // Two multi-valued attributes in one expression: every combination.
    check(
        r#"[x] & [y]"#,
        r#"{"x": ["a", "b"], "y": ["1", "2"]}"#,
        multi(&["a1", "a2", "b1", "b2"]),
    );
}
