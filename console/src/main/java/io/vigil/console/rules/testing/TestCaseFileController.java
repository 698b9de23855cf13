package io.vigil.console.rules.testing;

import io.vigil.console.rules.RuleVersions;
import io.vigil.console.web.NotFound;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A rule's test cases as a {@code <rule>.tests.yaml} file: download, and upload or paste. */
@Controller
class TestCaseFileController {

  private final TestCaseFiles files;
  private final RuleVersions versions;

  TestCaseFileController(TestCaseFiles files, RuleVersions versions) {
    this.files = files;
    this.versions = versions;
  }

  @GetMapping("/rules/{id}/tests/export")
  ResponseEntity<String> export(@PathVariable String id) {
    if (!versions.exists(id)) {
      throw NotFound.of("rule " + id);
    }
    return ResponseEntity.ok()
        .contentType(new MediaType("application", "yaml", StandardCharsets.UTF_8))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(TestCaseFiles.fileName(id)).build().toString())
        .body(files.export(id));
  }

  /** Imports the uploaded file, or else the pasted text. */
  @PostMapping("/rules/{id}/tests/import")
  String importCases(
      @PathVariable String id,
      @RequestParam(required = false) MultipartFile file,
      @RequestParam(defaultValue = "") String text,
      Authentication user,
      RedirectAttributes flash) {
    if (!versions.exists(id)) {
      throw NotFound.of("rule " + id);
    }
    String name = "";
    String content = text;
    if (file != null && !file.isEmpty()) {
      name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename();
      try {
        content = new String(file.getBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        flash.addFlashAttribute("error", "The file could not be read: " + e.getMessage());
        return "redirect:/rules/" + id;
      }
    }
    if (content.isBlank()) {
      flash.addFlashAttribute(
          "error", "Choose the " + TestCaseFiles.fileName(id) + " file, or paste its text.");
      return "redirect:/rules/" + id;
    }
    try {
      TestCaseFiles.Imported imported = files.importInto(id, name, content, user.getName());
      flash.addFlashAttribute(
          "notice",
          "Imported %d test case(s): %d new, %d replaced."
              .formatted(
                  imported.added().size() + imported.replaced().size(),
                  imported.added().size(),
                  imported.replaced().size()));
    } catch (TestCaseFiles.InvalidImportException e) {
      flash.addFlashAttribute("importProblems", e.problems());
      flash.addFlashAttribute(
          "error", "Nothing imported: the file has " + e.problems().size() + " problem(s).");
    }
    return "redirect:/rules/" + id;
  }
}
