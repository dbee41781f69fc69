//! Random numbers: one stream per component of a run, keyed by the seed, and the portable
//! draws made from it (exponential gaps, standard normals for log-normal times).
//!
//! Everything a run computes from its random numbers is IEEE arithmetic (exact on every
//! machine) or goes through the `libm` crate (Rust code, the same bits on every machine),
//! never through the platform's maths library, whose `exp` and `ln` may differ in the last
//! bit between systems. That is why the exponential and normal draws are written here (by
//! inversion, and by Marsaglia and Tsang's ziggurat with its tables computed through libm)
//! rather than taken from rand_distr, whose `exp` and `ln` come from the platform as soon as
//! any crate in the build enables num-traits' std.

use std::sync::LazyLock;

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The random numbers of one component of one run.
///
/// Keyed by ChaCha8: the seed is its key and (stream, run, component) its stream number, so
/// that the streams are independent and depend on the seed alone, never on threads or the
/// order of runs. ChaCha8 only makes the 256-bit state of a Xoshiro256++ generator, which
/// draws the run's numbers at about a nanosecond each.
#[derive(Debug, Clone)]
pub struct Stream {
    rng: Xoshiro256PlusPlus,
}

impl Stream {
    /// The stream of `component` of run `run` of the stream at position `stream`.
    pub fn new(seed: u64, stream: usize, run: u32, component: usize) -> Stream {
        let mut key = ChaCha8Rng::seed_from_u64(seed);
        key.set_stream(((stream as u64) << 48) | (u64::from(run) << 16) | component as u64);
        Stream {
            rng: Xoshiro256PlusPlus::from_rng(&mut key),
        }
    }

    /// The generator itself, for rand's and rand_distr's samplers.
    #[inline]
    pub(crate) fn rng(&mut self) -> &mut Xoshiro256PlusPlus {
        &mut self.rng
    }

    /// A uniform draw in [0, 1) (53 random bits).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// A uniform draw in (0, 1].
    #[inline]
    fn open_unit(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// An exponential draw with rate `rate`, by inversion.
    #[inline]
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -libm::log(self.open_unit()) / rate
    }

    /// A standard normal draw: the ziggurat of 256 layers (G. Marsaglia and W. W. Tsang, "The
    /// ziggurat method for generating random variables", J. Stat. Software 5(8), 2000), with
    /// Doornik's use of one 64-bit number for both the layer and the position in it. About
    /// 99 % of draws cost one number, a multiplication and a comparison.
    #[inline]
    pub fn standard_normal(&mut self) -> f64 {
        let z = &*ZIGGURAT;
        loop {
            let bits = self.rng.next_u64();
            let i = (bits & 0xff) as usize;
            // 53 high bits: u uniform in [-1, 1)
            let u = (bits >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0;
            let x = u * z.x[i];
            if x.abs() < z.x[i + 1] {
                return x;
            }
            if i == 0 {
                return self.normal_tail(u < 0.0);
            }
            // the wedge between layer i's rectangle and the curve
            let y = z.f[i + 1] + (z.f[i] - z.f[i + 1]) * self.uniform();
            if y < libm::exp(-0.5 * x * x) {
                return x;
            }
        }
    }

    /// A normal draw beyond the base layer's edge R (Marsaglia, 1964).
    fn normal_tail(&mut self, negative: bool) -> f64 {
        loop {
            let x = -libm::log(self.open_unit()) / ZIGGURAT_R;
            let y = -libm::log(self.open_unit());
            if 2.0 * y >= x * x {
                let v = ZIGGURAT_R + x;
                return if negative { -v } else { v };
            }
        }
    }
}

/// The right edge of the ziggurat's base layer for 256 layers of equal area.
const ZIGGURAT_R: f64 = 3.654_152_885_361_009;

/// The layers' right edges x (x[0] the base's width as a rectangle of the same area, x[1] =
/// R, falling to x[256] = 0) and the curve exp(-x^2 / 2) at each.
struct Ziggurat {
    x: [f64; 257],
    f: [f64; 257],
}

static ZIGGURAT: LazyLock<Ziggurat> = LazyLock::new(|| {
    let f = |x: f64| libm::exp(-0.5 * x * x);
    let r = ZIGGURAT_R;
    // each layer's area: the base's rectangle up to R plus the tail beyond it
    let v = r * f(r)
        + libm::sqrt(std::f64::consts::FRAC_PI_2) * libm::erfc(r / std::f64::consts::SQRT_2);
    let mut z = Ziggurat {
        x: [0.0; 257],
        f: [0.0; 257],
    };
    z.x[0] = v / f(r);
    z.x[1] = r;
    for i in 1..256 {
        z.x[i + 1] = libm::sqrt(-2.0 * libm::log(v / z.x[i] + f(z.x[i])));
    }
    z.x[256] = 0.0;
    for i in 0..257 {
        z.f[i] = f(z.x[i]);
    }
    z
});

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const N: usize = 200_000;

    /// The share of draws at or below `x` is `p`, within 4 binomial standard errors.
    pub(crate) fn share_below(v: &[f64], x: f64, p: f64) {
        let got = v.iter().filter(|&&d| d <= x).count() as f64 / v.len() as f64;
        let se = (p * (1.0 - p) / v.len() as f64).sqrt();
        assert!((got - p).abs() <= 4.0 * se, "P(X <= {x}) = {got}, want {p}");
    }

    #[test]
    fn exponential_draws_have_rate_lambda() {
        let mut s = Stream::new(3, 0, 0, 0);
        let v: Vec<f64> = (0..N).map(|_| s.exponential(4.0)).collect();
        let mean = v.iter().sum::<f64>() / N as f64;
        // an exponential's SD equals its mean, 0.25
        assert!(
            (mean - 0.25).abs() <= 4.0 * 0.25 / (N as f64).sqrt(),
            "{mean}"
        );
        // P(X <= x) = 1 - e^(-4x); at the median ln 2 / 4
        share_below(&v, std::f64::consts::LN_2 / 4.0, 0.5);
        assert!(v.iter().all(|x| x.is_finite() && *x >= 0.0));
    }

    // Phi(-3.7) = 1.0780e-4, Phi(-3) = 1.3499e-3, Phi(-1) = 0.158655, Phi(0) = 0.5,
    // Phi(1.281552) = 0.9 (tables of the normal distribution): the body, the wedges and the
    // tail beyond the base layer (R = 3.654) all have the normal's mass.
    #[test]
    fn normal_draws_follow_the_standard_normal() {
        let mut s = Stream::new(5, 1, 2, 3);
        let n = 4 * N;
        let v: Vec<f64> = (0..n).map(|_| s.standard_normal()).collect();
        share_below(&v, -3.7, 1.078e-4);
        share_below(&v, -3.0, 1.349_9e-3);
        share_below(&v, -1.0, 0.158_655_253_9);
        share_below(&v, 0.0, 0.5);
        share_below(&v, 1.281_551_565_5, 0.9);
        let above: Vec<f64> = v.iter().map(|x| -x).collect();
        share_below(&above, -3.7, 1.078e-4);
        // mean 0 and variance 1, within 4 standard errors (SD of x^2 is sqrt 2)
        let mean = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| x * x).sum::<f64>() / n as f64;
        assert!(mean.abs() <= 4.0 / (n as f64).sqrt(), "mean {mean}");
        assert!(
            (var - 1.0).abs() <= 4.0 * 2f64.sqrt() / (n as f64).sqrt(),
            "variance {var}"
        );
    }

    // The tables close: 256 layers of equal area from R down to the peak at 0.
    #[test]
    fn the_ziggurat_layers_fall_from_r_to_zero() {
        let z = &*ZIGGURAT;
        assert!(z.x.windows(2).all(|w| w[0] > w[1]));
        // the recurrence lands on the peak by itself (x[256] is set to 0): its last step
        // before that is a thin layer near the top
        assert!(z.x[255] > 0.0 && z.x[255] < 0.3, "{}", z.x[255]);
        assert_eq!(z.f[256], 1.0);
        // rand_distr's published table (ziggurat_tables.rs, computed in higher precision by
        // its own script): x[0], x[2], x[128]
        for (i, want) in [
            (0, 3.910_757_959_537_09),
            (2, 3.449_278_298_560_964),
            (128, 1.535_342_571_438_843),
        ] {
            assert!((z.x[i] - want).abs() < 1e-9 * want, "x[{i}] = {}", z.x[i]);
        }
    }

    #[test]
    fn streams_depend_on_seed_stream_run_and_component_alone() {
        let draw = |seed, stream, run, c| {
            let mut s = Stream::new(seed, stream, run, c);
            (0..4).map(|_| s.uniform().to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1, 2, 3, 4), draw(1, 2, 3, 4));
        let others = [
            draw(2, 2, 3, 4),
            draw(1, 3, 3, 4),
            draw(1, 2, 4, 4),
            draw(1, 2, 3, 5),
        ];
        for o in &others {
            assert_ne!(o, &draw(1, 2, 3, 4));
        }
    }
}
