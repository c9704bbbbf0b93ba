//! The colours of `style.css` checked against WCAG 2 contrast (4.5:1 for text), in the
//! light theme and the dark one, and the two ways to the dark one (the OS's setting and
//! `data-theme="dark"`) giving the same colours.

#![cfg(test)]

use std::collections::BTreeMap;

const STYLE: &str = include_str!("../style.css");

/// The custom properties of the first rule whose selector is exactly `selector`.
fn variables(selector: &str) -> BTreeMap<String, String> {
    let start = STYLE
        .match_indices(selector)
        .map(|(at, _)| at + selector.len())
        .find(|&after| STYLE[after..].trim_start().starts_with('{'))
        .unwrap_or_else(|| panic!("style.css has a rule {selector}"));
    let body = &STYLE[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.split(';')
        .filter_map(|declaration| declaration.trim().strip_prefix("--"))
        .filter_map(|declaration| declaration.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn check(theme: &str, colours: &BTreeMap<String, String>) {
    for text in ["fg", "muted", "accent", "warn", "danger"] {
        for ground in ["bg", "panel"] {
            let ratio = contrast(&colours[text], &colours[ground]);
            assert!(
                ratio >= 4.5,
                "{theme}: --{text} on --{ground} is {ratio:.2}:1, under 4.5:1"
            );
        }
    }
}

#[test]
fn text_colours_meet_wcag_aa_on_both_themes() {
    check("light", &variables(":root"));
    check("dark", &variables(":root[data-theme=\"dark\"]"));
}

#[test]
fn the_dark_theme_is_the_same_chosen_or_from_the_system() {
    let chosen = variables(":root[data-theme=\"dark\"]");
    let system = variables(":root:not([data-theme=\"light\"])");
    assert_eq!(chosen, system);
}

#[test]
fn a_low_contrast_pair_is_caught() {
    assert!(contrast("#b3261e", "#1d232b") < 4.5);
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
}
