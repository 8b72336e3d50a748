package org.reseq.ingress.web;

import java.util.List;
import java.util.stream.Collectors;
import org.reseq.model.destination.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error of the HTTP API into an RFC 9457 problem ({@code application/problem+json})
 * with a reseq type URI, a title, the status and a detail; never a stack trace. Spring MVC's own
 * errors (405, 415, unknown routes, malformed JSON, ...) come through the base class.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, WebRequest request) {
        if (e.status().is5xxServerError()) {
            log.warn("{}: {}", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
        }
        return handleExceptionInternal(e, e.toProblem(), e.headers(), e.status(), request);
    }

    /** PostgreSQL or Redis cannot be reached right now: the client should retry. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            RecoverableDataAccessException.class})
    ResponseEntity<Object> storeUnavailable(Exception e, WebRequest request) {
        ApiException problem = ApiException.storeUnavailable("The store cannot be reached; retry later", e);
        return api(problem, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) throws Exception {
        if (e instanceof ErrorResponse) {
            return handleException(e, request);
        }
        log.error("Unexpected error on {}", request.getDescription(false), e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred");
        return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Violation violation = violationOf(e);
        ProblemDetail problem = ApiException.invalid(List.of(violation)).toProblem();
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "No endpoint at /" + e.getResourcePath());
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    /** Gives Spring's own problems (which say {@code about:blank}) a reseq type and a title. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem;
        if (body instanceof ProblemDetail detail) {
            problem = detail;
        } else if (e instanceof ErrorResponse errorResponse) {
            // Spring leaves the body out where it expects the client cannot read it (406); say it anyway.
            problem = errorResponse.getBody();
        } else {
            problem = ProblemDetail.forStatusAndDetail(statusCode, "The request could not be processed");
        }
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(Problems.forStatus(statusCode));
        }
        if (problem.getTitle() == null) {
            HttpStatus known = HttpStatus.resolve(statusCode.value());
            problem.setTitle(known == null ? "Error " + statusCode.value() : known.getReasonPhrase());
        }
        if (problem.getDetail() == null) {
            problem.setDetail(problem.getTitle());
        }
        return super.handleExceptionInternal(e, problem, headers, statusCode, request);
    }

    /** Names the offending field when the JSON parser says which one. */
    static Violation violationOf(HttpMessageNotReadableException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabindException databind) {
                String field = pathOf(databind);
                String message = databind instanceof UnrecognizedPropertyException
                        ? "is not a known field"
                        : "has the wrong type or format";
                return new Violation(field, message);
            }
            if (cause instanceof JacksonException) {
                return new Violation("body", "is not valid JSON");
            }
        }
        return new Violation("body", "is missing or unreadable");
    }

    private static String pathOf(DatabindException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "body" : path;
    }
}
