package io.vigil.console.streams.activity;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The data of the streams page's rate chart, as JSON for the chart script (js/charts.js). */
@Controller
class StreamRatesController {
  private final StreamActivity activity;

  StreamRatesController(StreamActivity activity) {
    this.activity = activity;
  }

  @GetMapping(path = "/streams/activity/rates", produces = "application/json")
  @ResponseBody
  RateChart rates() {
    return activity.rateChart();
  }
}
