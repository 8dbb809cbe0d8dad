//! `GlobalSettings/MV.xml` (`<saved-mv-configuration>`): the engine's global parameters. The
//! metaverse DSML schema is skipped while streaming.

use crate::connector::invalid;
use crate::error::LegacyError;
use crate::xml;
use syncpolicy_model::diagnostic::Location;

/// One `<parameter>` of `MV.xml`.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) location: Location,
}

/// The parameters of `MV.xml` in file order.
pub(crate) struct Globals {
    pub(crate) params: Vec<Param>,
}

pub(crate) fn parse(bytes: &[u8], file: &str) -> Result<Globals, LegacyError> {
    let text = xml::decode(bytes, file)?;
    let doc = xml::parse(&text, file, &["schema"])?;
    let root = doc.root();
    let mv = match root.name() {
        "saved-mv-configuration" => root.child("mv-data"),
        "mv-data" => Some(root),
        _ => None,
    };
    let Some(mv) = mv else {
        return Err(invalid(
            file,
            root,
            format!(
                "the root element is <{}>, not <saved-mv-configuration> with <mv-data>",
                root.shown_name()
            ),
            "GlobalSettings/MV.xml must be the file written by Get-ADSyncServerConfiguration",
        ));
    };
    let mut params = Vec::new();
    if let Some(values) = mv.child("parameter-values") {
        for p in values.children_named("parameter") {
            let Some(name) = p.attr("name") else {
                return Err(invalid(
                    file,
                    p,
                    "a <parameter> has no name attribute".to_owned(),
                    "the file was edited or damaged; export the server configuration again",
                ));
            };
            let mut location = Location::file(file).with_position(p.line(), p.column());
            location.xml_element = Some(format!("{}[@name='{}']", p.path(), xml::shown(name)));
            params.push(Param {
                name: name.to_owned(),
                value: p.text().trim().to_owned(),
                location,
            });
        }
    }
    Ok(Globals { params })
}
