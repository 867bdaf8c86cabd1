//! The one error type of the JSON API: `{"error":"snake_case_code","message":"…"}`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::response::{IntoResponse, Response};
use db::DbError;
use domain::validate::FieldError;
use http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Further fields of the body, beside `error` and `message`, for a client that
    /// needs more to recover (such as the current version in a conflict).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// Seconds the client should wait before trying again (`Retry-After`).
    pub retry_after: Option<u64>,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code in snake_case.
    #[schema(example = "validation_failed")]
    pub error: String,
    /// A sentence for people.
    pub message: String,
}

/// Attached to error responses so the middleware logs each error once.
#[derive(Debug, Clone)]
pub struct LoggedError {
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: serde_json::Map::new(),
            retry_after: None,
        }
    }

    /// The error with a `Retry-After` header of `seconds`.
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// 429: too many requests; try again in `seconds`.
    pub fn too_many(code: &'static str, message: &str, seconds: u64) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, message).retry_after(seconds)
    }

    /// The error with one more field in its body.
    pub fn with_detail(mut self, name: &str, value: serde_json::Value) -> ApiError {
        if name != "error" && name != "message" {
            self.details.insert(name.to_owned(), value);
        }
        self
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "you are not allowed to do this",
        )
    }

    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; nothing was changed",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code.to_owned(),
            message: self.message.clone(),
        };
        let mut response = if self.details.is_empty() {
            (self.status, Json(body)).into_response()
        } else {
            let mut fields = self.details;
            fields.insert("error".to_owned(), body.error.into());
            fields.insert("message".to_owned(), body.message.into());
            (self.status, Json(fields)).into_response()
        };
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(LoggedError {
            code: self.code,
            message: self.message,
        });
        response
    }
}

impl From<FieldError> for ApiError {
    fn from(err: FieldError) -> Self {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            err.to_string(),
        )
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ApiError::not_found("the resource"),
            DbError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "already_exists",
                "something with the same unique name exists already",
            ),
            DbError::Unavailable(detail) => {
                let mut e = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database_unavailable",
                    "the database is not reachable; try again shortly",
                );
                e.message.push_str(&format!(" ({detail})"));
                e
            }
            DbError::Corrupt(detail) | DbError::Other(detail) => {
                let mut e = ApiError::internal();
                // Logged by the middleware, not shown to the client.
                tracing::error!(error = %detail, "database error");
                e.code = "internal_error";
                e
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, code) = match &rejection {
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
            JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected_json")
            }
            // The body is larger than the route accepts.
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
            }
            _ => (StatusCode::BAD_REQUEST, "bad_request"),
        };
        ApiError::new(status, code, rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            rejection.body_text(),
        )
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            rejection.body_text(),
        )
    }
}

/// `Json` whose rejections are `ApiError`s.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `Path` whose rejections are `ApiError`s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `Query` whose rejections are `ApiError`s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A message for an API error in the page's language when one exists.
pub(crate) fn error_text(lang: domain::Lang, err: &ApiError) -> String {
    for prefix in ["planner-error", "import-error"] {
        let id = format!("{prefix}-{}", err.code);
        if i18n::catalog().has(lang, &id) {
            return i18n::t(lang, &id);
        }
    }
    err.message.clone()
}

/// The `Idempotency-Key` header: a UUID the client chose, so that a retry with the
/// same key stores nothing new. Absent is `None`; anything but a UUID is refused.
#[derive(Debug, Clone, Copy)]
pub struct IdempotencyKey(pub Option<uuid::Uuid>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        value
            .to_str()
            .ok()
            .and_then(|v| uuid::Uuid::parse_str(v.trim()).ok())
            .map(|key| IdempotencyKey(Some(key)))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_idempotency_key",
                    "the Idempotency-Key header must be a UUID",
                )
            })
    }
}
