package io.vigil.runtime.matcher;

import io.vigil.runtime.matcher.skip.StartIndex;
import io.vigil.runtime.rules.RuleBook;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The matcher's start index per (stream, partition spec), each built again when the book's readers
 * of that stream and spec have changed.
 */
final class StartIndexes {

  private final RuleBook book;
  private final Map<String, StartIndex> byStreamAndSpec = new HashMap<>();
  private StartIndex last;
  private String lastSpec;

  StartIndexes(RuleBook book) {
    this.book = book;
  }

  /** The start index of (stream, spec). */
  StartIndex of(String stream, String spec) {
    StartIndex cached = last;
    if (cached != null && stream.equals(cached.stream()) && spec.equals(lastSpec)) {
      // Most events of a job are of one stream and spec: no key to build and look up.
      return cached;
    }
    List<RuleBook.ActiveRule> readers = book.readersOf(stream, spec);
    String key = stream + '\u0000' + spec;
    StartIndex index = byStreamAndSpec.get(key);
    if (index == null || index.readers() != readers) {
      index = new StartIndex(stream, readers);
      byStreamAndSpec.put(key, index);
    }
    last = index;
    lastSpec = spec;
    return index;
  }

  /** After a rule command, which may change the readers. */
  void rulesChanged() {
    last = null;
  }
}
