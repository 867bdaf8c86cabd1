//! Hearing deadlines under the Norwegian rules, as the API and `samrad deadline` report them.

use crate::error::{ApiError, ApiJson, ApiQuery};
use crate::web::lang::ReaderLang;
use domain::Lang;
use domain::deadline::{
    Deadline, DeadlineError, DeadlineRequest, DeadlineWarning, HearingKind, compute_deadline,
    format_rfc3339,
};
use http::StatusCode;
use i18n::{FluentValue, catalog};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WarningReport {
    #[schema(example = "overlaps_easter")]
    pub code: String,
    pub message: String,
    /// A later deadline that avoids the holiday, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_deadline: Option<String>,
}

/// The JSON shape of DESIGN.md: `{"opens","deadline","warnings":[{"code","message"}]}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineReport {
    #[schema(example = "2024-03-22")]
    pub opens: String,
    pub weeks: u32,
    #[schema(example = "2024-05-03T23:59:00+02:00")]
    pub deadline: String,
    pub warnings: Vec<WarningReport>,
}

fn warning_report(lang: Lang, warning: &DeadlineWarning) -> WarningReport {
    let suggested = warning.suggested_deadline.as_ref();
    let args: Vec<(&str, FluentValue<'_>)> = suggested
        .map(|z| {
            vec![(
                "suggested",
                FluentValue::from(i18n::format_datetime(lang, z.timestamp())),
            )]
        })
        .unwrap_or_default();
    let code = warning.code.as_str();
    WarningReport {
        code: code.to_owned(),
        message: catalog().message(lang, &format!("deadline-warning-{code}"), &args),
        suggested_deadline: suggested.map(format_rfc3339),
    }
}

pub(crate) fn warning_reports(lang: Lang, deadline: &Deadline) -> Vec<WarningReport> {
    reports(lang, &deadline.warnings)
}

pub(crate) fn reports(lang: Lang, warnings: &[DeadlineWarning]) -> Vec<WarningReport> {
    warnings.iter().map(|w| warning_report(lang, w)).collect()
}

pub fn deadline_report(lang: Lang, deadline: &Deadline) -> DeadlineReport {
    DeadlineReport {
        opens: deadline.opens.to_string(),
        weeks: deadline.weeks,
        deadline: format_rfc3339(&deadline.deadline),
        warnings: warning_reports(lang, deadline),
    }
}

/// The refusal in the reader's language.
pub fn error_message(lang: Lang, err: &DeadlineError) -> String {
    let weeks = match err {
        DeadlineError::WeeksOutOfRange { weeks } | DeadlineError::TooShortForPbl { weeks } => {
            *weeks
        }
        DeadlineError::DeadlineBeforeOpening => 0,
    };
    catalog().message(
        lang,
        &format!("deadline-error-{}", err.code()),
        &[("weeks", FluentValue::from(weeks))],
    )
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeadlineQuery {
    /// The opening day, YYYY-MM-DD.
    opens: String,
    /// Default 6.
    weeks: Option<u32>,
    /// `pbl` (default) or `other`.
    kind: Option<String>,
    /// Reason for a pbl period shorter than six weeks.
    override_reason: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/deadline", tag = "deadlines", params(DeadlineQuery),
    responses((status = 200, body = DeadlineReport), (status = 422, body = crate::error::ErrorBody)))]
pub async fn get_deadline(
    ReaderLang(lang): ReaderLang,
    ApiQuery(query): ApiQuery<DeadlineQuery>,
) -> Result<ApiJson<DeadlineReport>, ApiError> {
    let opens = query.opens.parse::<jiff::civil::Date>().map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            "opens must be a date written YYYY-MM-DD",
        )
    })?;
    let kind = match query.kind.as_deref().unwrap_or("pbl") {
        "pbl" => HearingKind::Pbl,
        "other" => HearingKind::Other,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_kind",
                "kind must be pbl or other",
            ));
        }
    };
    let request = DeadlineRequest {
        opens,
        weeks: query.weeks.unwrap_or(domain::deadline::PBL_MINIMUM_WEEKS),
        kind,
        override_reason: query.override_reason,
    };
    let deadline = compute_deadline(&request).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.code(),
            error_message(lang, &e),
        )
    })?;
    Ok(ApiJson(deadline_report(lang, &deadline)))
}
