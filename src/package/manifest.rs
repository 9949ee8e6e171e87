//! The files an LMS reads to import a package: `imsmanifest.xml` (SCORM 1.2 and 2004 4th
//! edition) and `cmi5.xml`. Prefixes are written literally (`adlcp`, `imsss`, `adlnav`,
//! `adlseq`) and IMS content-packaging elements have none, as some LMSs match them by name.

use std::fmt::Write as _;

use super::{Format, Unit};
use crate::render::html::escape;

/// The package's launch page, the one SCO or AU.
pub(crate) const LAUNCH: &str = "launch.html";

/// The manifest's file name and text for `unit`, listing `files` (every file of the package
/// but the manifest itself, sorted).
pub(crate) fn write(format: Format, unit: &Unit, files: &[String]) -> (&'static str, String) {
    match format {
        Format::Scorm12 => ("imsmanifest.xml", scorm12(unit, files)),
        Format::Scorm2004 => ("imsmanifest.xml", scorm2004(unit, files)),
        Format::Cmi5 => ("cmi5.xml", cmi5(unit)),
    }
}

/// Identifiers: `SB` and ten hex digits of the site, unit and format (unique within the
/// first 15 characters, which some LMSs keep), then the readable ids.
pub(crate) fn identifier(unit: &Unit, format: Format) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("{}\n{}\n{}", unit.site_id, unit.id, format.name()).as_bytes());
    format!("SB{}_{}_{}", crate::hex::hex(&digest[..5]), unit.site_id, unit.id)
}

fn files_xml(files: &[String]) -> String {
    let mut out = String::new();
    for f in files {
        let _ = writeln!(out, "      <file href=\"{}\"/>", escape(f));
    }
    out
}

fn scorm12(unit: &Unit, files: &[String]) -> String {
    let id = identifier(unit, Format::Scorm12);
    let title = escape(&unit.title);
    let mastery =
        unit.pass_mark.map(|m| format!("\n        <adlcp:masteryscore>{m}</adlcp:masteryscore>")).unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{id}" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG_{id}">
    <organization identifier="ORG_{id}">
      <title>{title}</title>
      <item identifier="ITEM_{id}" identifierref="RES_{id}" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES_{id}" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH}">
{files}    </resource>
  </resources>
</manifest>
"#,
        files = files_xml(files)
    )
}

fn scorm2004(unit: &Unit, files: &[String]) -> String {
    let id = identifier(unit, Format::Scorm2004);
    let title = escape(&unit.title);
    // The pass mark is the primary objective's measure: the LMS counts the SCO satisfied
    // when its scaled score reaches it.
    let sequencing = match unit.pass_mark {
        Some(mark) => format!(
            r#"
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="PRIMARYOBJ" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>"#,
            measure(mark)
        ),
        None => r#"
        <imsss:sequencing>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>"#
            .to_string(),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{id}" version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG_{id}">
    <organization identifier="ORG_{id}">
      <title>{title}</title>
      <item identifier="ITEM_{id}" identifierref="RES_{id}" isvisible="true">
        <title>{title}</title>{sequencing}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES_{id}" type="webcontent" adlcp:scormType="sco" href="{LAUNCH}">
{files}    </resource>
  </resources>
</manifest>
"#,
        files = files_xml(files)
    )
}

/// A pass mark in percent as a measure from 0 to 1 (`80` → `0.8`).
pub(crate) fn measure(mark: u8) -> String {
    match mark {
        100 => "1".to_string(),
        0 => "0".to_string(),
        m if m % 10 == 0 => format!("0.{}", m / 10),
        m => format!("0.{m:02}"),
    }
}

/// The cmi5 course: one AU per module of the unit, each launching the package's launch page
/// at its module.
fn cmi5(unit: &Unit) -> String {
    let lang = escape(&unit.language);
    let mut aus = String::new();
    for au in &unit.aus {
        let move_on = if au.pass_mark.is_some() { "CompletedAndPassed" } else { "Completed" };
        let mastery = au.pass_mark.map(|m| format!(" masteryScore=\"{}\"", measure(m))).unwrap_or_default();
        let _ = write!(
            aus,
            r#"
  <au id="{id}" moveOn="{move_on}"{mastery} launchMethod="AnyWindow">
    <title>
      <langstring lang="{lang}">{title}</langstring>
    </title>
    <description>
      <langstring lang="{lang}">{description}</langstring>
    </description>
    <url>{url}</url>
  </au>"#,
            id = escape(&au.iri),
            title = escape(&au.title),
            description = escape(&au.description),
            url = escape(&format!("{LAUNCH}?module={}", au.module)),
        );
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{id}">
    <title>
      <langstring lang="{lang}">{title}</langstring>
    </title>
    <description>
      <langstring lang="{lang}">{description}</langstring>
    </description>
  </course>{aus}
</courseStructure>
"#,
        id = escape(&unit.iri),
        title = escape(&unit.title),
        description = escape(&unit.description),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_are_decimals_from_zero_to_one() {
        assert_eq!(measure(80), "0.8");
        assert_eq!(measure(75), "0.75");
        assert_eq!(measure(5), "0.05");
        assert_eq!(measure(100), "1");
        assert_eq!(measure(0), "0");
    }
}
