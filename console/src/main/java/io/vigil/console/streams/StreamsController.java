package io.vigil.console.streams;

import io.vigil.console.store.Version;
import io.vigil.console.streams.activity.StreamActivity;
import io.vigil.console.web.NotFound;
import io.vigil.dsl.ast.StreamDecl;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.syntax.SourceParser;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Stream declarations: list with schemas, one stream's versions, and its editor. */
@Controller
class StreamsController {

  private final StreamDeclarations streams;
  private final StreamActivity activity;

  StreamsController(StreamDeclarations streams, StreamActivity activity) {
    this.streams = streams;
    this.activity = activity;
  }

  @GetMapping("/streams")
  String list(Model model) {
    model.addAttribute("schemas", streams.schemas());
    model.addAttribute("names", streams.names());
    model.addAttribute("problems", streams.problems().stream().map(Diagnostic::render).toList());
    model.addAttribute("activity", activity.snapshot());
    return "streams/list";
  }

  @GetMapping("/streams/{name}")
  String stream(@PathVariable String name, Model model) {
    Version latest = streams.latest(name).orElseThrow(() -> NotFound.of("stream " + name));
    model.addAttribute("name", name);
    model.addAttribute("latest", latest);
    model.addAttribute("versions", streams.newestFirst(name));
    return "streams/stream";
  }

  @GetMapping("/streams/new")
  String newStream(Model model) {
    return editor(
        model,
        "",
        "stream my_stream\n  time ts\n  fields\n    id: string\n    ts: timestamp\n",
        List.of());
  }

  @GetMapping("/streams/{name}/edit")
  String edit(@PathVariable String name, Model model) {
    Version latest = streams.latest(name).orElseThrow(() -> NotFound.of("stream " + name));
    return editor(model, name, latest.source(), List.of());
  }

  @PostMapping("/streams")
  String create(
      @RequestParam String source,
      @RequestParam(defaultValue = "") String comment,
      Authentication user,
      Model model) {
    Optional<String> name = declaredName(source);
    if (name.isEmpty()) {
      return editor(
          model, "", source, List.of("The source must declare a stream: `stream <name>`."));
    }
    if (streams.latest(name.get()).isPresent()) {
      return editor(
          model, "", source, List.of("A stream named " + name.get() + " exists already."));
    }
    return save(name.get(), source, comment, user, model, "");
  }

  @PostMapping("/streams/{name}")
  String update(
      @PathVariable String name,
      @RequestParam String source,
      @RequestParam(defaultValue = "") String comment,
      Authentication user,
      Model model) {
    if (streams.latest(name).isEmpty()) {
      throw NotFound.of("stream " + name);
    }
    return save(name, source, comment, user, model, name);
  }

  private String save(
      String name, String source, String comment, Authentication user, Model model, String id) {
    List<Diagnostic> problems = streams.save(name, source, user.getName(), comment);
    if (!problems.isEmpty()) {
      return editor(model, id, source, problems.stream().map(Diagnostic::render).toList());
    }
    return "redirect:/streams/" + name;
  }

  private static Optional<String> declaredName(String source) {
    return SourceParser.parse(new SourceFile("stream.vgl", source)).declarations().stream()
        .filter(d -> d instanceof StreamDecl)
        .map(d -> d.name().text())
        .findFirst();
  }

  private String editor(Model model, String name, String source, List<String> problems) {
    model.addAttribute("pageTitle", name.isEmpty() ? "New stream" : "Edit " + name);
    model.addAttribute("name", name);
    model.addAttribute("source", source);
    model.addAttribute("problems", problems);
    return "streams/editor";
  }
}
