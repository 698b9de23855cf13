package io.vigil.alert.delivery;

import java.util.List;

/**
 * One notification's slice of the batch intake script: its Redis keys and arguments, in the order
 * {@code redis/ingest-batch.lua} documents.
 */
public record Admission(List<String> keys, List<String> args) {
  public Admission {
    keys = List.copyOf(keys);
    args = List.copyOf(args);
  }
}
