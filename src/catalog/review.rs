//! How fresh a reviewed entry must be: `check --strict` warns about a
//! `last_reviewed` date older than an age.

/// What `check --strict` asks of a reviewed entry beyond its fields: a
/// `last_reviewed` date no older than an age. A catalog that rots is worse
/// than none at 3am: its commands look trustworthy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// A `last_reviewed` date before this one (YYYY-MM-DD) is stale.
    pub stale_before: String,
    /// How many days before today that is, for the message.
    pub max_age_days: u32,
}

impl Review {
    /// Dates more than `max_age_days` before `today` are stale.
    #[must_use]
    pub fn as_of(today: std::time::SystemTime, max_age_days: u32) -> Self {
        const DAY: u64 = 86_400;
        let days = today.duration_since(std::time::UNIX_EPOCH).map_or(0, |since| since.as_secs() / DAY);
        let (year, month, day) = civil_date(days.saturating_sub(u64::from(max_age_days)));
        Self { stale_before: format!("{year:04}-{month:02}-{day:02}"), max_age_days }
    }
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for non-negative days).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_the_epoch_through_leap_days() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_788), (2026, 12, 1));
        let day = std::time::Duration::from_hours(24);
        let review = Review::as_of(std::time::UNIX_EPOCH + day * 20_788, 365);
        assert_eq!(review.stale_before, "2025-12-01");
    }
}
