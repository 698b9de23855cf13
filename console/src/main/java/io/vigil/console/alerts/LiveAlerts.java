package io.vigil.console.alerts;

import io.vigil.runtime.alert.Alert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.expression.ThymeleafEvaluationContext;

/**
 * Pushes each alert the alert service publishes on {@code vigil:alerts:live} to the open alert
 * pages whose filter it matches, as server-sent events named {@code alert} whose data is the table
 * row (htmx's SSE extension inserts it).
 */
@Component
public class LiveAlerts implements MessageListener {

  private record Listener(SseEmitter emitter, AlertFilter filter) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LiveAlerts.class);
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final SpringTemplateEngine templates;
  private final ApplicationContext application;

  public LiveAlerts(SpringTemplateEngine templates, ApplicationContext application) {
    this.templates = templates;
    this.application = application;
  }

  public SseEmitter open(AlertFilter filter) {
    SseEmitter emitter = new SseEmitter(0L);
    Listener listener = new Listener(emitter, filter);
    listeners.add(listener);
    emitter.onCompletion(() -> listeners.remove(listener));
    emitter.onTimeout(() -> listeners.remove(listener));
    emitter.onError(e -> listeners.remove(listener));
    // A comment first: the response starts at once, so the page's event stream opens now (and a
    // proxy sees traffic) rather than at the first alert.
    try {
      emitter.send(SseEmitter.event().comment("live"));
    } catch (IOException e) {
      listeners.remove(listener);
      emitter.completeWithError(e);
    }
    return emitter;
  }

  @Override
  public void onMessage(Message message, byte[] pattern) {
    try {
      AlertReader.parse(new String(message.getBody(), StandardCharsets.UTF_8))
          .ifPresent(this::publish);
    } catch (RuntimeException e) {
      LOG.warn("a live alert was not pushed to the open pages", e);
    }
  }

  void publish(Alert alert) {
    String row = null;
    for (Listener listener : listeners) {
      if (!listener.filter().matches(alert)) {
        continue;
      }
      if (row == null) {
        Context context = new Context();
        context.setVariable("a", alert);
        // Bean references (@times) outside a request need Spring's evaluation context.
        context.setVariable(
            ThymeleafEvaluationContext.THYMELEAF_EVALUATION_CONTEXT_CONTEXT_VARIABLE_NAME,
            new ThymeleafEvaluationContext(application, null));
        row = templates.process("alerts/row", Set.of("row"), context).replace("\n", " ");
      }
      try {
        listener.emitter().send(SseEmitter.event().name("alert").data(row));
      } catch (IOException | IllegalStateException e) {
        listeners.remove(listener);
      }
    }
  }
}
