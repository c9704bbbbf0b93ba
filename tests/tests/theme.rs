//! Light and dark through the window: the System theme follows the OS's dark setting
//! (WebKit's `prefers-color-scheme`, from GTK), and the text of every state — a row, a
//! suspended status, an error, the offline banner — and a disabled row icon keep WCAG
//! AA contrast in both themes, measured on the colours the page computes.

use cosync_emulator::{Config, SeedOptions};
use gatehouse_e2e::Desktop;
use gatehouse_e2e::keys::ESCAPE;

/// The colours the page paints `css` with: its text colour, the first opaque background
/// behind it, and the opacity it is drawn with (disabled controls are faded).
const PAINT: &str = r#"
const element = document.querySelector(arguments[0]);
if (!element) { return null; }
let opacity = 1;
let node = element;
let background = null;
while (node && node.nodeType === 1) {
    const style = getComputedStyle(node);
    const bg = style.backgroundColor;
    const alpha = bg.startsWith('rgba') ? parseFloat(bg.split(',')[3])
        : bg.includes('/') ? parseFloat(bg.split('/')[1]) : 1;
    if (alpha > 0.99 && bg !== 'transparent') { background = bg; break; }
    opacity *= parseFloat(style.opacity);
    node = node.parentElement;
}
return [getComputedStyle(element).color, background || 'rgb(255, 255, 255)', opacity];
"#;

/// Red, green, blue (0–255) and alpha of a computed colour: `rgb(…)`, `rgba(…)`, or
/// `color(srgb r g b [/ a])` (0–1), which WebKit answers for a `color-mix()`.
fn channels(css: &str) -> [f64; 4] {
    let numbers = |text: &str| -> Vec<f64> {
        text.split([',', ' ', '/'])
            .filter(|part| !part.is_empty())
            .filter_map(|part| part.parse::<f64>().ok())
            .collect()
    };
    let (values, scale) = if let Some(inner) = css.strip_prefix("color(srgb") {
        (numbers(inner.trim_end_matches(')')), 255.0)
    } else {
        let inner = css
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')');
        (numbers(inner), 1.0)
    };
    assert!(values.len() >= 3, "a colour this test reads: {css}");
    [
        values[0] * scale,
        values[1] * scale,
        values[2] * scale,
        values.get(3).copied().unwrap_or(1.0),
    ]
}

fn luminance(rgb: [f64; 3]) -> f64 {
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// The contrast ratio of what `css` shows against what is behind it.
async fn contrast(desktop: &Desktop, css: &str) -> f64 {
    let paint = desktop
        .execute(PAINT, vec![serde_json::Value::from(css)])
        .await;
    let paint = paint
        .as_array()
        .unwrap_or_else(|| panic!("nothing on screen matches {css}"));
    let fg = channels(paint[0].as_str().unwrap_or_default());
    let bg = channels(paint[1].as_str().unwrap_or_default());
    let alpha = fg[3] * paint[2].as_f64().unwrap_or(1.0);
    let shown = [0, 1, 2].map(|i| fg[i] * alpha + bg[i] * (1.0 - alpha));
    let (a, b) = (luminance(shown), luminance([bg[0], bg[1], bg[2]]));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

async fn assert_contrast(desktop: &Desktop, theme: &str, what: &str, css: &str, least: f64) {
    let ratio = contrast(desktop, css).await;
    assert!(
        ratio >= least,
        "{what} in the {theme} theme: contrast {ratio:.2}:1, below {least}:1"
    );
}

async fn choose_theme(desktop: &Desktop, theme: &str) {
    desktop
        .find("select[aria-label='Theme']")
        .await
        .select_by_value(theme)
        .await
        .expect("the theme is offered");
}

const TEXT: f64 = 4.5;
/// Icons are graphics: WCAG's non-text contrast.
const GRAPHIC: f64 = 3.0;

#[tokio::test]
async fn the_system_theme_follows_the_os_and_every_state_keeps_aa_contrast_in_both() {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    host.seed(SeedOptions::new("Shop", 60))
        .await
        .expect("seeding");
    let env = [
        ("GATEHOUSE_HOST_URL", host.base_url()),
        ("GATEHOUSE_SERVER_SECRET", host.server_secret()),
        ("GATEHOUSE_APP", "Shop"),
        // The OS's dark setting, as GTK tells WebKit.
        ("GTK_THEME", "Adwaita:dark"),
    ];
    let desktop = Desktop::launch(&env).await;
    desktop
        .wait_for_text(".toolbar .counts", |text| text == "60 users")
        .await;
    let dark = desktop
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await;
    assert_eq!(dark, true, "WebKit reports the OS's dark setting");
    let body = desktop
        .execute(
            "return getComputedStyle(document.body).backgroundColor;",
            vec![],
        )
        .await;
    assert_eq!(body, "rgb(21, 25, 30)", "System follows it: dark");

    // Rows, a suspended status and an error, in each theme.
    desktop
        .find("select[aria-label='Status filter']")
        .await
        .select_by_value("suspended")
        .await
        .expect("the status filter");
    let row = "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell'].handle";
    let suspended = "[role='table'][aria-label='Users'] .tbody [role='cell'].status.suspended";
    desktop.find(suspended).await;
    for theme in ["System", "Light"] {
        choose_theme(&desktop, theme).await;
        let name = if theme == "System" { "dark" } else { "light" };
        assert_contrast(&desktop, name, "a row", row, TEXT).await;
        assert_contrast(&desktop, name, "a suspended status", suspended, TEXT).await;
        desktop
            .find(".toolbar button[title='Add a user to this app']")
            .await
            .click()
            .await
            .unwrap();
        desktop
            .type_into("[role='dialog'] input[aria-label='Password']", "abc")
            .await;
        desktop.find("[role='dialog'] p.error").await;
        assert_contrast(&desktop, name, "an error", "[role='dialog'] p.error", TEXT).await;
        desktop.press(ESCAPE).await;
    }

    // Offline: the banner, and the row icons disabled.
    host.shutdown().await;
    desktop
        .find("button[title*='Ctrl+R']")
        .await
        .click()
        .await
        .unwrap();
    desktop
        .wait_for_text(".offline[role='status']", |text| text.contains("Offline"))
        .await;
    let icon = ".row-actions button.icon:disabled";
    desktop.find(icon).await;
    for (theme, name) in [("Light", "light"), ("Dark", "dark")] {
        choose_theme(&desktop, theme).await;
        assert_contrast(
            &desktop,
            name,
            "the offline banner",
            ".offline[role='status'] span",
            TEXT,
        )
        .await;
        assert_contrast(&desktop, name, "a disabled row icon", icon, GRAPHIC).await;
    }
    desktop.close().await;
}
