//! The function catalogue: every Connect Sync function with its category, parameter kinds,
//! argument count and result type. The checker and the evaluator both work from this table.

/// What a parameter position accepts (used by the checker, and by the evaluator to decide where
/// a multi-valued argument is mapped value by value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// `str`: a string (references and numbers are accepted too).
    Str,
    /// `num`: an integer (numeric strings are converted).
    Num,
    /// `bool`/`exp`: a Boolean condition.
    Bool,
    /// `bin`: binary data (strings are accepted where base64 or text makes sense).
    Bin,
    /// `ref`: a distinguished name.
    Ref,
    /// `dt`: a date and time.
    Date,
    /// A string or binary value (`ConvertToBase64`).
    StrOrBin,
    /// Any single value (`CStr`, `CNum`).
    Scalar,
    /// An enumeration option: a bare identifier or string among the listed names.
    Enum(&'static [&'static str]),
    /// `var`: any value, including a whole multi-valued attribute.
    Any,
    /// `mvstr`/`mvref`/`mvattr`: a collection (a single value counts as one).
    Collection,
    /// A loop variable such as `$item` (`Select`, `Where`, `With`).
    Variable,
    /// An expression evaluated once per value with the loop variable bound.
    Body,
    /// A quoted attribute name (`ImportedValue("proxyAddresses")`).
    AttributeName,
}

impl Param {
    /// Positions where a multi-valued argument makes the function apply to each value.
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            Param::Str
                | Param::Num
                | Param::Bool
                | Param::Bin
                | Param::Ref
                | Param::Date
                | Param::StrOrBin
                | Param::Scalar
        )
    }
}

/// The static result type of a function or expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Num,
    Bool,
    Bin,
    Ref,
    Date,
    /// A multi-valued result.
    Multi,
    /// Unknown until evaluated (attributes, `var` results).
    Any,
    /// `NULL` and the flow sentinels.
    Null,
    /// `Error(...)`: never returns.
    Void,
    /// A bare enumeration identifier.
    Enum,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Num => "integer",
            Ty::Bool => "boolean",
            Ty::Bin => "binary",
            Ty::Ref => "reference",
            Ty::Date => "date",
            Ty::Multi => "multi-valued",
            Ty::Any => "variant",
            Ty::Null => "null",
            Ty::Void => "void",
            Ty::Enum => "option",
        }
    }
}

/// Where a function belongs in the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    ProgramFlow,
    Evaluation,
    Conversion,
    DateTime,
    Directory,
    Math,
    MultiValued,
    Text,
    Certificate,
    /// Used by the out-of-box rules but missing from Microsoft's reference.
    OutOfBox,
}

/// One function of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct FunctionSpec {
    pub func: Func,
    pub name: &'static str,
    pub category: Category,
    pub params: &'static [Param],
    /// Required arguments; the rest of `params` are optional.
    pub required: usize,
    /// `Switch`: any number of (condition, value) pairs.
    pub variadic: bool,
    pub returns: Ty,
}

const COMPARE: &[&str] = &["vbTextCompare", "vbBinaryCompare"];
const CASE: &[&str] = &["CaseInsensitive", "CaseSensitive"];
const ENCODING: &[&str] = &["Unicode", "ASCII", "UTF8"];
const DC: &[&str] = &["DC"];

/// Every enumeration identifier the language knows.
pub const ENUM_IDENTIFIERS: &[&str] = &[
    "vbTextCompare",
    "vbBinaryCompare",
    "CaseInsensitive",
    "CaseSensitive",
    "Unicode",
    "ASCII",
    "UTF8",
    "DC",
];

/// Names of the Entra app-provisioning language that are not Connect Sync functions.
pub const APP_PROVISIONING_ONLY: &[&str] = &[
    "Coalesce",
    "Append",
    "ToLower",
    "ToUpper",
    "NormalizeDiacritics",
    "Not",
    "SelectUniqueValue",
    "StripSpaces",
    "DateDiff",
    "RandomString",
    "Redact",
    "SingleAppRoleAssignment",
    "AppRoleAssignmentsComplex",
    "IgnoreFlowIfNullOrEmpty",
];

macro_rules! catalogue {
    ($( $variant:ident $name:literal $cat:ident [$($p:expr),*] $req:literal $var:literal -> $ret:ident; )*) => {
        /// A built-in function.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Func { $($variant),* }

        /// The whole catalogue, in reference order.
        pub const FUNCTIONS: &[FunctionSpec] = &[
            $(FunctionSpec {
                func: Func::$variant,
                name: $name,
                category: Category::$cat,
                params: &[$($p),*],
                required: $req,
                variadic: $var,
                returns: Ty::$ret,
            }),*
        ];
    };
}

use Param::*;

catalogue! {
    Iif "IIF" ProgramFlow [Bool, Any, Any] 3 false -> Any;
    Switch "Switch" ProgramFlow [Bool, Any] 2 true -> Any;
    Error "Error" ProgramFlow [Str] 1 false -> Void;
    Select "Select" ProgramFlow [Variable, Collection, Body] 3 false -> Multi;
    Where "Where" ProgramFlow [Variable, Collection, Body] 3 false -> Multi;
    With "With" ProgramFlow [Variable, Any, Body] 3 false -> Any;
    IsPresent "IsPresent" Evaluation [Any] 1 false -> Bool;
    IsNullOrEmpty "IsNullOrEmpty" Evaluation [Any] 1 false -> Bool;
    IsNull "IsNull" Evaluation [Any] 1 false -> Bool;
    IsEmpty "IsEmpty" Evaluation [Any] 1 false -> Bool;
    IsString "IsString" Evaluation [Any] 1 false -> Bool;
    IsNumeric "IsNumeric" Evaluation [Any] 1 false -> Bool;
    IsDate "IsDate" Evaluation [Any] 1 false -> Bool;
    IsGuid "IsGuid" Evaluation [Str] 1 false -> Bool;
    IsBitSet "IsBitSet" Evaluation [Num, Num] 2 false -> Bool;
    IsCert "IsCert" Evaluation [Bin] 1 false -> Bool;
    CBool "CBool" Conversion [Bool] 1 false -> Bool;
    CDate "CDate" Conversion [Str] 1 false -> Date;
    CGuid "CGuid" Conversion [Str] 1 false -> Bin;
    StringFromGuid "StringFromGuid" Conversion [Bin] 1 false -> Str;
    StringFromSid "StringFromSid" Conversion [Bin] 1 false -> Str;
    CNum "CNum" Conversion [Scalar] 1 false -> Num;
    CRef "CRef" Conversion [Str] 1 false -> Ref;
    CStr "CStr" Conversion [Scalar] 1 false -> Str;
    ConvertToBase64 "ConvertToBase64" Conversion [StrOrBin, Enum(ENCODING)] 1 false -> Str;
    ConvertFromBase64 "ConvertFromBase64" Conversion [Str, Enum(ENCODING)] 1 false -> Str;
    ConvertToUtf8Hex "ConvertToUTF8Hex" Conversion [Str] 1 false -> Str;
    ConvertFromUtf8Hex "ConvertFromUTF8Hex" Conversion [Str] 1 false -> Str;
    DateFromNum "DateFromNum" DateTime [Num] 1 false -> Date;
    NumFromDate "NumFromDate" DateTime [Date] 1 false -> Num;
    FormatDateTime "FormatDateTime" DateTime [Date, Str] 2 false -> Str;
    DateAdd "DateAdd" DateTime [Str, Num, Date] 3 false -> Date;
    Now "Now" DateTime [] 0 false -> Date;
    DnComponent "DNComponent" Directory [Ref, Num] 2 false -> Str;
    DnComponentRev "DNComponentRev" Directory [Ref, Num, Enum(DC)] 2 false -> Str;
    EscapeDnComponent "EscapeDNComponent" Directory [Str] 1 false -> Str;
    BitAnd "BitAnd" Math [Num, Num] 2 false -> Num;
    BitOr "BitOr" Math [Num, Num] 2 false -> Num;
    RandomNum "RandomNum" Math [Num, Num] 2 false -> Num;
    Contains "Contains" MultiValued [Collection, Str, Enum(CASE)] 2 false -> Num;
    Count "Count" MultiValued [Collection] 1 false -> Num;
    Item "Item" MultiValued [Collection, Num] 2 false -> Any;
    ItemOrNull "ItemOrNull" MultiValued [Collection, Num] 2 false -> Any;
    Join "Join" MultiValued [Collection, Str] 1 false -> Str;
    Split "Split" MultiValued [Str, Str, Num] 2 false -> Multi;
    RemoveDuplicates "RemoveDuplicates" MultiValued [Collection] 1 false -> Multi;
    InStr "InStr" Text [Str, Str, Num, Enum(COMPARE)] 2 false -> Num;
    InStrRev "InStrRev" Text [Str, Str, Num, Enum(COMPARE)] 2 false -> Num;
    Left "Left" Text [Str, Num] 2 false -> Str;
    Right "Right" Text [Str, Num] 2 false -> Str;
    Mid "Mid" Text [Str, Num, Num] 2 false -> Str;
    Len "Len" Text [Str] 1 false -> Num;
    Trim "Trim" Text [Str] 1 false -> Str;
    LTrim "LTrim" Text [Str] 1 false -> Str;
    RTrim "RTrim" Text [Str] 1 false -> Str;
    LCase "LCase" Text [Str] 1 false -> Str;
    UCase "UCase" Text [Str] 1 false -> Str;
    PCase "PCase" Text [Str] 1 false -> Str;
    PadLeft "PadLeft" Text [Str, Num, Str] 3 false -> Str;
    PadRight "PadRight" Text [Str, Num, Str] 3 false -> Str;
    Replace "Replace" Text [Str, Str, Str] 3 false -> Str;
    ReplaceChars "ReplaceChars" Text [Str, Str] 2 false -> Str;
    Word "Word" Text [Str, Num, Str] 3 false -> Str;
    Guid "Guid" Text [] 0 false -> Str;
    CertExtensionOids "CertExtensionOids" Certificate [Bin] 1 false -> Multi;
    CertFormat "CertFormat" Certificate [Bin] 1 false -> Str;
    CertFriendlyName "CertFriendlyName" Certificate [Bin] 1 false -> Str;
    CertHashString "CertHashString" Certificate [Bin] 1 false -> Str;
    CertIssuer "CertIssuer" Certificate [Bin] 1 false -> Str;
    CertIssuerDn "CertIssuerDN" Certificate [Bin] 1 false -> Str;
    CertIssuerOid "CertIssuerOid" Certificate [Bin] 1 false -> Str;
    CertKeyAlgorithm "CertKeyAlgorithm" Certificate [Bin] 1 false -> Str;
    CertKeyAlgorithmParams "CertKeyAlgorithmParams" Certificate [Bin] 1 false -> Str;
    CertNameInfo "CertNameInfo" Certificate [Bin, Str, Bool] 3 false -> Str;
    CertNotAfter "CertNotAfter" Certificate [Bin] 1 false -> Date;
    CertNotBefore "CertNotBefore" Certificate [Bin] 1 false -> Date;
    CertPublicKeyOid "CertPublicKeyOid" Certificate [Bin] 1 false -> Str;
    CertPublicKeyParametersOid "CertPublicKeyParametersOid" Certificate [Bin] 1 false -> Str;
    CertSerialNumber "CertSerialNumber" Certificate [Bin] 1 false -> Str;
    CertSignatureAlgorithmOid "CertSignatureAlgorithmOid" Certificate [Bin] 1 false -> Str;
    CertSubject "CertSubject" Certificate [Bin] 1 false -> Str;
    CertSubjectNameDn "CertSubjectNameDN" Certificate [Bin] 1 false -> Str;
    CertSubjectNameOid "CertSubjectNameOid" Certificate [Bin] 1 false -> Str;
    CertThumbprint "CertThumbprint" Certificate [Bin] 1 false -> Str;
    CertVersion "CertVersion" Certificate [Bin] 1 false -> Num;
    ImportedValue "ImportedValue" OutOfBox [AttributeName] 1 false -> Any;
    ValueCount "ValueCount" OutOfBox [AttributeName] 1 false -> Num;
    CBin "CBin" OutOfBox [Num, Num] 2 false -> Bin;
    Thumbprint "Thumbprint" OutOfBox [Bin] 1 false -> Str;
}

/// Looks a function up by its exact (case-sensitive) name.
pub fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

impl Func {
    pub fn spec(self) -> &'static FunctionSpec {
        // The table is generated from the same list as the enum, in the same order.
        &FUNCTIONS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }
}
