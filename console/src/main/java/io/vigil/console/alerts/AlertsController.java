package io.vigil.console.alerts;

import io.vigil.console.web.NotFound;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.UriComponentsBuilder;

/** The alerts list with filters and live updates, and one alert with its matched events. */
@Controller
class AlertsController {

  private static final int PAGE_SIZE = 200;
  private final AlertReader reader;
  private final LiveAlerts live;
  private final Clock clock;
  private final AlertCounts counts;

  AlertsController(AlertReader reader, LiveAlerts live, Clock clock, AlertCounts counts) {
    this.reader = reader;
    this.live = live;
    this.clock = clock;
    this.counts = counts;
  }

  @GetMapping("/alerts")
  String list(
      @RequestParam(defaultValue = "") String rule,
      @RequestParam(defaultValue = "") String severity,
      @RequestParam(defaultValue = "") String tag,
      @RequestParam(defaultValue = "") String owner,
      @RequestParam(defaultValue = "") String key,
      @RequestParam(defaultValue = "0") int hours,
      @RequestParam(defaultValue = "24h") String range,
      Model model) {
    AlertFilter filter = filter(rule, severity, tag, owner, key, hours);
    ChartSpan span = AlertChartController.span(range);
    model.addAttribute(
        "chart", counts.chart(span, rule.isBlank() ? Optional.empty() : Optional.of(rule.strip())));
    model.addAttribute("ranges", ChartSpan.values());
    model.addAttribute(
        "chartUrl",
        UriComponentsBuilder.fromPath("/alerts/chart")
            .queryParam("rule", rule.strip())
            .queryParam("range", span.label())
            .encode()
            .toUriString());
    model.addAttribute("alerts", reader.latest(filter, PAGE_SIZE));
    model.addAttribute("filter", filter);
    model.addAttribute("hours", hours);
    model.addAttribute(
        "liveUrl",
        UriComponentsBuilder.fromPath("/alerts/live")
            .queryParam("rule", rule)
            .queryParam("severity", severity)
            .queryParam("tag", tag)
            .queryParam("owner", owner)
            .queryParam("key", key)
            .encode()
            .toUriString());
    return "alerts/list";
  }

  @GetMapping(path = "/alerts/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @org.springframework.web.bind.annotation.ResponseBody
  SseEmitter live(
      @RequestParam(defaultValue = "") String rule,
      @RequestParam(defaultValue = "") String severity,
      @RequestParam(defaultValue = "") String tag,
      @RequestParam(defaultValue = "") String owner,
      @RequestParam(defaultValue = "") String key) {
    return live.open(filter(rule, severity, tag, owner, key, 0));
  }

  @GetMapping("/alerts/{alertId}")
  String alert(@PathVariable String alertId, Model model) {
    model.addAttribute(
        "alert", reader.alert(alertId).orElseThrow(() -> NotFound.of("alert " + alertId)));
    return "alerts/alert";
  }

  private AlertFilter filter(
      String rule, String severity, String tag, String owner, String key, int hours) {
    return new AlertFilter(
        rule,
        severity,
        tag,
        owner,
        key,
        hours > 0 ? Optional.of(clock.instant().minus(Duration.ofHours(hours))) : Optional.empty());
  }
}
