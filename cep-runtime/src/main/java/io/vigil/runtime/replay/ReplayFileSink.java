package io.vigil.runtime.replay;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes a bounded replay's output to local files, from inside the job: alerts keep the JSON they
 * were given (written once, where the alert was made), wait in a spill file ({@link AlertSpill})
 * and are sorted when the input ends, so two runs give the same file whatever the parallelism.
 * Problems are written as they arrive. Runs with parallelism 1 (one file); meant for a local
 * cluster, whose task threads see the caller's files.
 */
public final class ReplayFileSink implements Sink<ReplayLine> {

  private static final long serialVersionUID = 1L;

  private final ReplayFiles files;

  public ReplayFileSink(ReplayFiles files) {
    this.files = files;
  }

  @Override
  public SinkWriter<ReplayLine> createWriter(WriterInitContext context) throws IOException {
    return new Writer(files);
  }

  private static final class Writer implements SinkWriter<ReplayLine> {
    private final ReplayFiles files;
    private final AlertSpill alerts;
    private final BufferedWriter problems;
    private long deadLetters;
    private long late;
    private boolean written;

    Writer(ReplayFiles files) throws IOException {
      this.files = files;
      this.alerts = new AlertSpill(Path.of(files.spill()));
      this.problems = Files.newBufferedWriter(Path.of(files.problems()), StandardCharsets.UTF_8);
    }

    @Override
    public void write(ReplayLine line, Context context) throws IOException {
      switch (line.kind()) {
        case ALERT -> alerts.add(line);
        case DEAD_LETTER -> {
          deadLetters++;
          problem(line);
        }
        case LATE -> {
          late++;
          problem(line);
        }
      }
    }

    private void problem(ReplayLine line) throws IOException {
      problems.write(line.text());
      problems.newLine();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      problems.flush();
      if (endOfInput && !written) {
        written = true;
        alerts.writeSorted(Path.of(files.alerts()));
        Files.writeString(
            Path.of(files.summary()),
            alerts.count() + " " + deadLetters + " " + late + "\n",
            StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      try (alerts) {
        problems.close();
      }
    }
  }
}
