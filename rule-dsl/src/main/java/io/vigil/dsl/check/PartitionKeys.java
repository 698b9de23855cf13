package io.vigil.dsl.check;

import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a rule's {@code partition by}: a rule matches per key, so every stream it reads must carry
 * each key field, with the same type everywhere.
 */
final class PartitionKeys {

  private final RuleDecl rule;
  private final Reporter report;

  PartitionKeys(RuleDecl rule, Reporter report) {
    this.rule = rule;
    this.report = report;
  }

  /**
   * The rule's partition keys found in every stream the rule reads, each with one type. A key that
   * is missing from a stream, named twice or typed differently is reported and left out.
   */
  List<PartitionKey> check(Collection<StreamSchema> readStreams) {
    List<PartitionKey> keys = new ArrayList<>();
    if (rule.partitionBy().isEmpty()) {
      report.error(
          rule.name().span(),
          "rule `" + rule.name().text() + "` has no `partition by`",
          "a rule matches per key, e.g. `partition by cardId`; every stream it reads must carry the key");
      return keys;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (FieldPath path : rule.partitionBy()) {
      if (!seen.add(path.dotted())) {
        report.error(path.span(), "`" + path.dotted() + "` is named twice in `partition by`", "");
        continue;
      }
      Map<String, Integer> indexes = new HashMap<>();
      Type type = null;
      boolean ok = true;
      for (StreamSchema s : readStreams) {
        Optional<StreamSchema.Field> f = s.field(path.dotted());
        if (f.isEmpty()) {
          report.error(
              path.span(),
              "stream `" + s.name() + "` has no field `" + path.dotted() + "` to partition by",
              Suggestions.didYouMean(
                  path.dotted(),
                  s.fields().stream().map(StreamSchema.Field::path).toList(),
                  "every stream a rule reads must carry its partition key"));
          ok = false;
          continue;
        }
        if (type != null && f.get().type() != type) {
          report.error(
              path.span(),
              "`"
                  + path.dotted()
                  + "` is a "
                  + type.keyword()
                  + " in one stream and a "
                  + f.get().type().keyword()
                  + " in `"
                  + s.name()
                  + "`",
              "a partition key must have the same type in every stream the rule reads");
          ok = false;
        }
        type = f.get().type();
        indexes.put(s.name(), f.get().index());
      }
      if (ok && type != null) {
        keys.add(new PartitionKey(path.dotted(), type, indexes));
      }
    }
    return keys;
  }
}
