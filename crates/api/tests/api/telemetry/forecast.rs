//! A stream's forecast over its stored history window, against the exact distribution; a
//! window with nothing done gets a message.

use tributary_api::telemetry::Question;
use tributary_telemetry::forecast;
use tributary_telemetry::time::{format_day, parse_day};

use super::common::*;

#[test]
fn a_stream_forecast_uses_its_history_window() {
    let f = imported();
    let s = &f.session;
    // Default window: the last 90 days of data, not before the first: 03-04..03-08, samples
    // 0, 0, 0, 2, 2.
    let fc = s
        .forecast(
            "delivery",
            Question::HowMany { days: 1 },
            None,
            None,
            10_000,
            3,
        )
        .unwrap();
    assert_eq!(
        (fc.window.from.as_str(), fc.window.to.as_str()),
        ("2024-03-04", "2024-03-08")
    );
    assert_eq!(fc.history_items, 4);
    // One day: 2 items with p = 0.4, else 0. At 50 % the largest X with P(>= X) >= 0.5 is 0.
    assert_eq!(fc.percentiles["50"], 0);
    assert_eq!(fc.percentiles["95"], 0);
    let fc = s
        .forecast(
            "delivery",
            Question::When { items: 4 },
            None,
            None,
            10_000,
            3,
        )
        .unwrap();
    let cdf = forecast::when_exact_cdf(&[0, 0, 0, 2, 2], 4, 100);
    let d85 = fc.percentiles["85"] as usize;
    assert!(cdf[d85 - 1] >= 0.83 && cdf[d85 - 2] <= 0.87);
    assert_eq!(
        fc.dates["85"],
        format_day(parse_day("2024-03-08").unwrap() + d85 as i64)
    );
    // A window with nothing done.
    let e = s
        .forecast(
            "delivery",
            Question::When { items: 4 },
            Some("2024-03-04"),
            Some("2024-03-06"),
            10_000,
            3,
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no item of stream \"delivery\" was done between 2024-03-04 and 2024-03-06"),
        "{e}"
    );
    let e = s
        .forecast("delivery", Question::When { items: 0 }, None, None, 10, 3)
        .unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
}
