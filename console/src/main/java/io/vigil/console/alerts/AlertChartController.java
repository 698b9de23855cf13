package io.vigil.console.alerts;

import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** The data of the alerts-per-rule charts, as JSON for the chart script. */
@Controller
class AlertChartController {

  private final AlertCounts counts;

  AlertChartController(AlertCounts counts) {
    this.counts = counts;
  }

  /**
   * @param rule one rule, or empty for the rules with most alerts
   * @param range {@code 1h}, {@code 6h}, {@code 24h} or {@code 7d}; anything else is 24 h
   */
  @GetMapping(path = "/alerts/chart", produces = "application/json")
  @ResponseBody
  AlertChart chart(
      @RequestParam(defaultValue = "") String rule,
      @RequestParam(defaultValue = "24h") String range) {
    return counts.chart(span(range), rule.isBlank() ? Optional.empty() : Optional.of(rule.strip()));
  }

  static ChartSpan span(String range) {
    return ChartSpan.ofLabel(range).orElse(ChartSpan.DAY);
  }
}
