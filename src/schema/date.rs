//! Dates as editors write them (`2019-09-23`), with what is wrong with one
//! that is not, in words.

use jiff::civil::Date;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Why a text is not a date.
#[derive(Debug, PartialEq)]
pub enum InvalidDate {
    /// Not written as `YYYY-MM-DD`.
    Shape,
    NoSuchMonth(i16),
    NoSuchDay {
        year: i16,
        month: i16,
        days: i8,
    },
}

impl InvalidDate {
    /// What is wrong with `text`, in Dutch.
    pub fn explain(&self, text: &str) -> String {
        match self {
            InvalidDate::Shape => format!("`{text}` is geen datum in de vorm JJJJ-MM-DD"),
            InvalidDate::NoSuchMonth(month) => {
                format!("ongeldige datum `{text}`: maand {month} bestaat niet")
            }
            InvalidDate::NoSuchDay { year, month, days } => format!(
                "ongeldige datum `{text}`: {} {year} heeft {days} dagen",
                MONTHS[*month as usize - 1]
            ),
        }
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, InvalidDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<i16>> = parts.iter().map(|p| p.parse().ok()).collect();
    let shape_ok =
        parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2;
    let Some([year, month, day]) = numbers
        .filter(|_| shape_ok)
        .and_then(|n| <[i16; 3]>::try_from(n).ok())
    else {
        return Err(InvalidDate::Shape);
    };
    if !(1..=12).contains(&month) {
        return Err(InvalidDate::NoSuchMonth(month));
    }
    Date::new(year, month as i8, day as i8).map_err(|_| InvalidDate::NoSuchDay {
        year,
        month,
        days: Date::new(year, month as i8, 1).map_or(31, |d| d.days_in_month()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_read_or_its_fault_is_named() {
        assert_eq!(parse_date("2019-09-23"), Ok(Date::constant(2019, 9, 23)));
        assert_eq!(parse_date("23-09-2019"), Err(InvalidDate::Shape));
        assert_eq!(parse_date("2019-13-01"), Err(InvalidDate::NoSuchMonth(13)));
        let leap = parse_date("2023-02-29").unwrap_err();
        assert_eq!(
            leap.explain("2023-02-29"),
            "ongeldige datum `2023-02-29`: februari 2023 heeft 28 dagen"
        );
    }
}
