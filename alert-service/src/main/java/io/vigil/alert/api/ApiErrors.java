package io.vigil.alert.api;

import io.vigil.alert.egress.UnsafeUrlException;
import io.vigil.alert.limits.LimitExceededException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns domain refusals into RFC 9457 problem responses that say what is wrong. */
@RestControllerAdvice
class ApiErrors {
  @ExceptionHandler(UnsafeUrlException.class)
  ProblemDetail unsafeUrl(UnsafeUrlException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setTitle("Refused webhook URL");
    return problem;
  }

  @ExceptionHandler(LimitExceededException.class)
  ProblemDetail limit(LimitExceededException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    problem.setTitle("Limit reached");
    return problem;
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
