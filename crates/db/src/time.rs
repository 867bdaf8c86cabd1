//! Conversions between the domain's `jiff::Timestamp` and the `chrono` values sea-orm stores.

use crate::DbError;
use sea_orm::prelude::DateTimeUtc;

/// Stored values have microsecond precision (PostgreSQL's), so round here to make a
/// value read back equal to the value written.
pub(crate) fn to_db(ts: jiff::Timestamp) -> DateTimeUtc {
    let micros = ts.as_microsecond();
    chrono::DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

pub(crate) fn from_db(dt: DateTimeUtc) -> Result<jiff::Timestamp, DbError> {
    jiff::Timestamp::from_microsecond(dt.timestamp_micros())
        .map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Now, at storage precision.
pub fn now() -> jiff::Timestamp {
    let micros = jiff::Timestamp::now().as_microsecond();
    jiff::Timestamp::from_microsecond(micros).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
