//! Forecasts: the same seed gives the same forecast, the Monte Carlo agrees with the exact
//! distribution, and histories without completed items get a message. A stream's forecast
//! over its stored history is tested in the api crate.

use tributary_telemetry::forecast::{self, Question};

#[test]
fn the_same_seed_gives_the_same_forecast_and_another_seed_may_not() {
    let samples = [0, 1, 3, 0, 2, 5, 1, 0, 0, 4];
    let a = forecast::simulate(&samples, Question::When { items: 30 }, 10_000, 7).unwrap();
    let b = forecast::simulate(&samples, Question::When { items: 30 }, 10_000, 7).unwrap();
    let c = forecast::simulate(&samples, Question::When { items: 30 }, 10_000, 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), 10_000);
    // Whatever the seed, 30 items at no more than 5 a day take at least 6 days.
    assert!(a.iter().chain(&c).all(|&d| d >= 6));
}

/// The Monte Carlo's "when" percentiles against the exact distribution (dynamic programming
/// over partial sums) for a lumpy throughput. The empirical CDF at each percentile's answer
/// must straddle the confidence within 0.02 (4 standard errors at 10,000 trials).
#[test]
fn monte_carlo_matches_the_exact_distribution() {
    let samples = [0, 1, 3, 0, 2, 5, 1, 0, 0, 4];
    let q = Question::When { items: 30 };
    let results = forecast::simulate(&samples, q, 10_000, 11).unwrap();
    let cdf = forecast::when_exact_cdf(&samples, 30, 200);
    for c in [50u32, 70, 85, 95] {
        let d = forecast::answer(q, &results, c).unwrap() as usize;
        let p = c as f64 / 100.0;
        assert!(cdf[d - 1] >= p - 0.02, "{c}: P(<= {d}) = {}", cdf[d - 1]);
        assert!(
            d < 2 || cdf[d - 2] <= p + 0.02,
            "{c}: P(<= {}) = {}",
            d - 1,
            cdf[d - 2]
        );
    }
    let q = Question::HowMany { days: 20 };
    let results = forecast::simulate(&samples, q, 10_000, 12).unwrap();
    let pmf = forecast::how_many_exact_pmf(&samples, 20);
    let at_least = |x: usize| pmf[x..].iter().sum::<f64>();
    for c in [50u32, 70, 85, 95] {
        let x = forecast::answer(q, &results, c).unwrap() as usize;
        let p = c as f64 / 100.0;
        assert!(at_least(x) >= p - 0.02, "{c}: P(>= {x}) = {}", at_least(x));
        assert!(
            at_least(x + 1) <= p + 0.02,
            "{c}: P(>= {}) = {}",
            x + 1,
            at_least(x + 1)
        );
    }
}

#[test]
fn forecasts_refuse_what_cannot_finish() {
    let e = forecast::simulate(&[0, 0, 0], Question::When { items: 1 }, 100, 1).unwrap_err();
    assert!(
        e.to_string()
            .contains("no item was done in the history window"),
        "{e}"
    );
    let e = forecast::simulate(&[1; 10], Question::When { items: 1 }, 0, 1).unwrap_err();
    assert!(e.to_string().contains("trials"), "{e}");
    // 1 item in 10,000 days: a billion items would take forever.
    let mut sparse = vec![0u32; 10_000];
    sparse[0] = 1;
    let e = forecast::simulate(
        &sparse,
        Question::When {
            items: 1_000_000_000,
        },
        10,
        1,
    )
    .unwrap_err();
    assert!(e.to_string().contains("more than"), "{e}");
}
