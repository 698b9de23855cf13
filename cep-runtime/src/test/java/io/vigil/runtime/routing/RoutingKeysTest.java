package io.vigil.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingKeysTest {

  @Test
  void aKeyIsItsSpecThenEachValueWithItsTypeTag() {
    assertThat(RoutingKeys.of("cardId", List.of("c-1"))).isEqualTo("cardId\u001fSc-1");
    assertThat(RoutingKeys.of("n", List.of(7L))).isEqualTo("n\u001fL7");
    assertThat(RoutingKeys.of("a,b", List.of("x", 1L))).isEqualTo("a,b\u001fSx\u001fL1");
  }

  @Test
  void oneValueGivesTheKeyOfAnyCollectionHoldingIt() {
    for (Object value : List.of("c-1", 42L, true, 1.5, new BigDecimal("12.500"))) {
      String key = RoutingKeys.of("f", List.of(value));
      assertThat(RoutingKeys.of("f", new ArrayList<>(List.of(value)))).isEqualTo(key);
      assertThat(RoutingKeys.of("f", Set.of(value))).isEqualTo(key);
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("f", value);
      assertThat(RoutingKeys.of("f", map)).isEqualTo(key);
      assertThat(RoutingKeys.specOf(key)).isEqualTo("f");
    }
  }

  @Test
  void decimalsOfOneValueShareAKeyAndTypesNever() {
    assertThat(RoutingKeys.of("f", List.of(new BigDecimal("12.500"))))
        .isEqualTo(RoutingKeys.of("f", List.of(new BigDecimal("12.5"))))
        .isEqualTo("f\u001fB12.5");
    assertThat(RoutingKeys.of("f", List.of(1L))).isNotEqualTo(RoutingKeys.of("f", List.of("1")));
  }
}
