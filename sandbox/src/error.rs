//! Error responses in the two shapes Partner Center uses (research §2.4): the agreement shape
//! (`code` a number, `errorName`, `isRetryable`...) and the generic one (`code` a string,
//! `description`, `data`, `source`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// An error the sandbox answers with.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// The agreement-API shape, as in the documented 600061 example.
    pub fn business(
        status: StatusCode,
        code: u32,
        error_name: &str,
        message: &str,
        parameters: Value,
    ) -> ApiError {
        ApiError {
            status,
            body: json!({
                "code": code,
                "message": message,
                "description": message,
                "errorName": error_name,
                "isRetryable": false,
                "parameters": parameters,
                "errorMessageExtended": format!("InternalErrorCode={code}"),
            }),
            retry_after: None,
        }
    }

    /// 600061, as documented: the customer already holds this confirmation.
    pub fn duplicate_confirmation() -> ApiError {
        ApiError::business(
            StatusCode::CONFLICT,
            600061,
            "PartnerConfirmedAgreementAlreadyExists",
            "A partner confirmed agreement already exists for the customer.",
            json!({}),
        )
    }

    /// The generic documented shape (`code` is a string).
    pub fn generic(status: StatusCode, code: &str, description: &str) -> ApiError {
        ApiError {
            status,
            body: json!({ "code": code, "description": description, "data": [], "source": "PartnerCenter.Sandbox" }),
            retry_after: None,
        }
    }

    pub fn unauthorized() -> ApiError {
        ApiError::generic(
            StatusCode::UNAUTHORIZED,
            "401",
            "Authentication failed: a valid bearer token is required.",
        )
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::generic(
            StatusCode::NOT_FOUND,
            "404",
            &format!("{what} was not found."),
        )
    }

    pub fn bad_request(error_name: &str, message: &str) -> ApiError {
        ApiError::business(StatusCode::BAD_REQUEST, 400, error_name, message, json!({}))
    }

    /// A transient failure (injected with `/sandbox/faults`).
    pub fn transient(status: StatusCode, retry_after: Option<u32>) -> ApiError {
        let mut error = ApiError::business(
            status,
            status.as_u16().into(),
            "ServiceUnavailable",
            "The service is temporarily unavailable. Try again later.",
            json!({}),
        );
        error.body["isRetryable"] = json!(true);
        error.retry_after = retry_after;
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"csp-sandbox\""),
            );
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
