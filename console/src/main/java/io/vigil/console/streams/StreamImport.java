package io.vigil.console.streams;

import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.StreamDecl;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.syntax.SourceParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At start-up, stores the stream declarations of {@link StreamProperties#importFiles()} that the
 * console does not know yet (a stream already stored is left as it is).
 */
@Component
class StreamImport implements ApplicationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(StreamImport.class);
  private final StreamProperties properties;
  private final StreamDeclarations streams;

  StreamImport(StreamProperties properties, StreamDeclarations streams) {
    this.properties = properties;
    this.streams = streams;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (Path file : properties.importFiles()) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("vigil.console.streams.import-files: " + file, e);
      }
      for (Declaration d :
          SourceParser.parse(new SourceFile(file.toString(), text)).declarations()) {
        if (d instanceof StreamDecl s && streams.latest(s.name().text()).isEmpty()) {
          var problems =
              streams.save(
                  s.name().text(), s.text(), "system", "imported from " + file.getFileName());
          if (!problems.isEmpty()) {
            LOG.warn("stream {} from {} not imported: {}", s.name().text(), file, problems);
          }
        }
      }
    }
  }
}
