package io.vigil.alert.subscription;

import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/subscriptions")
class SubscriptionController {
  private final SubscriptionService service;

  SubscriptionController(SubscriptionService service) {
    this.service = service;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  CreatedSubscription create(@Valid @RequestBody SubscriptionRequest request) {
    return service.create(request);
  }

  @GetMapping
  List<SubscriptionView> list() {
    return service.list();
  }

  @GetMapping("/{id}")
  SubscriptionView get(@PathVariable String id) {
    return service.get(id);
  }

  @PutMapping("/{id}")
  SubscriptionView replace(
      @PathVariable String id, @Valid @RequestBody SubscriptionRequest request) {
    return service.replace(id, request);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable String id) {
    service.delete(id);
  }
}
