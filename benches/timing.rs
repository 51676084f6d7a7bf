//! Percentiles of timed samples, printed one line per measurement: criterion
//! reports means and medians only, and a keystroke's cost is in its tail.

use std::time::Duration;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// Prints the median, p90, p99 and maximum of `times`; returns the median.
pub fn report(label: &str, mut times: Vec<Duration>) -> Duration {
    times.sort();
    println!(
        "{label:40} n={:4}  median {:>9.3?}  p90 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
    percentile(&times, 0.5)
}
