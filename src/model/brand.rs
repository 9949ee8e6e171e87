//! Model stage: branding without templates. The `[theme]` table of `skillbook.toml` names a
//! logo, a favicon and an accent colour; the colours are checked for contrast against both
//! colour schemes of the default theme, with the measured ratio in the error.

use std::ops::Range;

use super::fields::{get, Reader, Spanned};
use crate::diagnostic::Severity;
use crate::load::value::{Entry, Value};

pub(crate) const THEME_KEYS: &[&str] = &["name", "logo", "favicon", "accent", "accent_dark"];

/// The least contrast text and controls need (WCAG 2.2, level AA, normal text).
const AA: f64 = 4.5;
/// What the accent is read against in the light scheme: the page, cards, and white text on a
/// button of the accent colour (themes/default/static/skillbook.css).
const LIGHT: &[(&str, [u8; 3])] =
    &[("the page background #f7f7f5", [0xf7, 0xf7, 0xf5]), ("white text on it", [0xff, 0xff, 0xff])];
/// The same in the dark scheme.
const DARK: &[(&str, [u8; 3])] = &[
    ("the dark page background #121517", [0x12, 0x15, 0x17]),
    ("the dark cards #1a1e21", [0x1a, 0x1e, 0x21]),
    ("dark text #0c1b1b on it", [0x0c, 0x1b, 0x1b]),
];

/// Logo, favicon and accent colours of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Brand {
    /// The logo, a path under `static/`.
    pub(crate) logo: Option<Spanned<String>>,
    /// The favicon, a path under `static/`.
    pub(crate) favicon: Option<Spanned<String>>,
    /// The accent of the light scheme, `#rrggbb`.
    pub(crate) accent: Option<String>,
    /// The accent of the dark scheme, `#rrggbb`.
    pub(crate) accent_dark: Option<String>,
}

/// Reads `[theme]`; returns the theme name, if given, and the brand.
pub(crate) fn read(r: &mut Reader<'_>, table: &[Entry]) -> (Option<String>, Brand) {
    r.unknown_keys(table, THEME_KEYS, "[theme]", Severity::Error);
    let name = r.string(table, "name").map(|s| s.value);
    let mut brand = Brand {
        logo: file(r, table, "logo", &["svg", "png", "jpg", "jpeg", "webp"]),
        favicon: file(r, table, "favicon", &["ico", "png", "svg"]),
        ..Brand::default()
    };
    let accent = colour(r, table, "accent");
    let accent_dark = colour(r, table, "accent_dark");
    if let Some((value, span)) = &accent {
        if check(r, "accent", *value, span, LIGHT, None) {
            brand.accent = Some(hex(*value));
        }
    }
    match (&accent_dark, &accent) {
        (Some((value, span)), _) => {
            if check(r, "accent_dark", *value, span, DARK, None) {
                brand.accent_dark = Some(hex(*value));
            }
        }
        // No dark accent: the light one serves both, if it reads on the dark background.
        (None, Some((value, span))) => {
            if check(r, "accent", *value, span, DARK, Some(suggest_dark(*value))) {
                brand.accent_dark = Some(hex(*value));
            }
        }
        (None, None) => {}
    }
    (name, brand)
}

fn file(r: &mut Reader<'_>, table: &[Entry], key: &str, kinds: &[&str]) -> Option<Spanned<String>> {
    let path = r.string(table, key)?;
    let ext = path.value.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !path.value.starts_with("static/") || !kinds.contains(&ext.as_str()) {
        let hint = format!(
            "put the file in the site's static/ folder and write its path from the site folder, like {key} = \"static/{key}.{}\" ({} files)",
            kinds[0],
            kinds.join(", ")
        );
        r.error(&path.span, format!("`{key}` must be a {} file in static/", kinds.join("/")), Some(hint));
        return None;
    }
    Some(path)
}

fn colour(r: &mut Reader<'_>, table: &[Entry], key: &str) -> Option<([u8; 3], Range<usize>)> {
    let text = r.string(table, key)?;
    if let Some(rgb) = parse(&text.value) {
        return Some((rgb, text.span));
    }
    let hint = format!("write a colour as # and six hex digits, like {key} = \"#0d6163\"");
    r.error(&text.span, format!("`{key}` is not a colour: {:?}", text.value), Some(hint));
    None
}

/// `#rrggbb` or `#rgb`.
fn parse(text: &str) -> Option<[u8; 3]> {
    let digits = text.strip_prefix('#')?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let at = |i: usize, len: usize| u8::from_str_radix(&digits[i..i + len], 16).ok();
    match digits.len() {
        6 => Some([at(0, 2)?, at(2, 2)?, at(4, 2)?]),
        3 => Some([at(0, 1)? * 17, at(1, 1)? * 17, at(2, 1)? * 17]),
        _ => None,
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Relative luminance (WCAG 2.2).
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// Contrast ratio of two colours, 1 to 21.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Reports the first of `against` that `value` has too little contrast with; true when none.
fn check(
    r: &mut Reader<'_>,
    key: &str,
    value: [u8; 3],
    span: &Range<usize>,
    against: &[(&str, [u8; 3])],
    dark_suggestion: Option<[u8; 3]>,
) -> bool {
    let Some((what, ratio)) =
        against.iter().map(|(what, c)| (*what, contrast(value, *c))).find(|(_, ratio)| *ratio < AA)
    else {
        return true;
    };
    let message = format!("`{key}` {} has a contrast of {ratio:.2}:1 with {what}; it needs at least 4.5:1", hex(value));
    let hint = match dark_suggestion {
        Some(dark) => format!(
            "add accent_dark = \"{}\" for the dark colour scheme (a lighter {} with enough contrast there)",
            hex(dark),
            hex(value)
        ),
        None if against == LIGHT => "choose a darker shade of it".to_string(),
        None => "choose a lighter shade of it".to_string(),
    };
    r.error(span, message, Some(hint));
    false
}

/// `value` mixed with white, in steps, until it reads on every dark background.
fn suggest_dark(value: [u8; 3]) -> [u8; 3] {
    let mix = |t: f64| {
        value.map(|c| {
            let mixed = f64::from(c) + (255.0 - f64::from(c)) * t;
            // In 0..=255 by construction.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let byte = mixed.round() as u8;
            byte
        })
    };
    (0..=20)
        .map(|step| mix(f64::from(step) / 20.0))
        .find(|c| DARK.iter().all(|(_, bg)| contrast(*c, *bg) >= AA))
        .unwrap_or([255; 3])
}

/// The stylesheet that puts the brand's colours in place of the default theme's.
pub(crate) fn css(brand: &Brand) -> Option<String> {
    let light = brand.accent.as_ref()?;
    let dark = brand.accent_dark.as_ref().unwrap_or(light);
    Some(format!(
        ":root{{--accent:{light};--accent-hover:color-mix(in srgb,{light} 78%,#000);--ink:color-mix(in srgb,{light} 78%,#000);--accent-soft:color-mix(in srgb,{light} 12%,#fff)}}\n\
         @media (prefers-color-scheme: dark){{:root{{--accent:{dark};--accent-hover:color-mix(in srgb,{dark} 75%,#fff);--ink:{dark};--accent-soft:color-mix(in srgb,{dark} 18%,#1a1e21)}}}}\n"
    ))
}

/// Whether `node` of the top-level `theme` key is the `[theme]` table.
pub(crate) fn is_table(top: &[Entry]) -> bool {
    get(top, "theme").is_some_and(|n| matches!(n.value, Value::Table(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_wcag_s() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([0x77, 0x77, 0x77], [255, 255, 255]) - 4.48).abs() < 0.01);
        assert_eq!(parse("#abc"), Some([0xaa, 0xbb, 0xcc]));
        assert_eq!(parse("#0d6163"), Some([0x0d, 0x61, 0x63]));
        assert_eq!(parse("0d6163"), None);
        assert_eq!(parse("#0d616"), None);
    }

    #[test]
    fn the_default_accents_pass_and_a_suggested_dark_accent_reads_on_dark() {
        assert!(LIGHT.iter().all(|(_, bg)| contrast([0x0d, 0x61, 0x63], *bg) >= AA));
        assert!(DARK.iter().all(|(_, bg)| contrast([0x6f, 0xd1, 0xc9], *bg) >= AA));
        let dark = suggest_dark([0x7a, 0x1f, 0x5c]);
        assert!(DARK.iter().all(|(_, bg)| contrast(dark, *bg) >= AA), "{dark:?}");
    }
}
