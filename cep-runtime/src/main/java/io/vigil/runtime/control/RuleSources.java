package io.vigil.runtime.control;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.syntax.VigilLexer;
import io.vigil.dsl.syntax.VigilParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

/**
 * Rule files as control commands, and the pattern fingerprint of a rule's source.
 *
 * <p>A {@code .vgl} file may hold any number of declarations; the control topic carries one per
 * record (key = rule id or {@code stream:<name>}). Each declaration's exact source text is cut out
 * of its file through the rule language's own parser, so nothing is reformatted.
 */
public final class RuleSources {

  private RuleSources() {}

  /** Thrown for a file that does not parse (the checker reports the details). */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SyntaxException(String message) {
      super(message);
    }
  }

  /**
   * Every declaration of {@code files} as a command: stream declarations first (rules need them),
   * then rules in file order, all with {@code version} and active from the first event.
   */
  public static List<RuleCommand> commands(List<SourceFile> files, long version)
      throws SyntaxException {
    List<RuleCommand> streams = new ArrayList<>();
    List<RuleCommand> rules = new ArrayList<>();
    for (SourceFile file : files) {
      VigilParser.FileContext tree = parse(file.name(), file.text());
      for (VigilParser.DeclarationContext declaration : tree.declaration()) {
        String text = text(declaration);
        if (declaration.streamDecl() != null) {
          streams.add(
              new RuleCommand.DeclareStream(
                  declaration.streamDecl().name.getText(), version, text));
        } else if (declaration.ruleDecl() != null) {
          rules.add(
              new RuleCommand.UpsertRule(
                  declaration.ruleDecl().name.getText(), version, text, Long.MIN_VALUE, false));
        }
      }
    }
    streams.addAll(rules);
    return streams;
  }

  /**
   * What decides a rule's matching behaviour, as text: every clause of the rule except {@code
   * title}, {@code severity}, {@code tags}, {@code owner} and the text of its alert templates
   * (their presence counts: it decides which alerts exist). Tokens are joined by single spaces, so
   * layout and comments do not count either. Empty when the source does not parse.
   */
  public static Optional<String> matchingText(String ruleSource) {
    VigilParser.FileContext tree;
    try {
      tree = parse("rule", ruleSource);
    } catch (SyntaxException e) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (VigilParser.DeclarationContext declaration : tree.declaration()) {
      if (declaration.ruleDecl() == null) {
        out.append(tokens(declaration)).append(" ; ");
        continue;
      }
      out.append("rule ").append(declaration.ruleDecl().name.getText());
      for (VigilParser.RuleClauseContext clause : declaration.ruleDecl().ruleClause()) {
        if (clause instanceof VigilParser.TitleClauseContext
            || clause instanceof VigilParser.SeverityClauseContext
            || clause instanceof VigilParser.TagsClauseContext
            || clause instanceof VigilParser.OwnerClauseContext) {
          continue;
        }
        if (clause instanceof VigilParser.AlertClauseContext) {
          out.append(" | alert");
        } else if (clause instanceof VigilParser.TimeoutAlertClauseContext) {
          out.append(" | on timeout alert");
        } else {
          out.append(" | ").append(tokens(clause));
        }
      }
      out.append(" ; ");
    }
    return Optional.of(out.toString());
  }

  private static VigilParser.FileContext parse(String name, String text) throws SyntaxException {
    List<String> errors = new ArrayList<>();
    BaseErrorListener collect =
        new BaseErrorListener() {
          @Override
          public void syntaxError(
              Recognizer<?, ?> recognizer,
              Object offendingSymbol,
              int line,
              int column,
              String msg,
              RecognitionException e) {
            errors.add(name + ":" + line + ":" + (column + 1) + ": " + msg);
          }
        };
    VigilLexer lexer = new VigilLexer(CharStreams.fromString(text, name));
    lexer.removeErrorListeners();
    lexer.addErrorListener(collect);
    VigilParser parser = new VigilParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(collect);
    VigilParser.FileContext tree = parser.file();
    if (!errors.isEmpty()) {
      throw new SyntaxException(String.join("\n", errors));
    }
    return tree;
  }

  private static String text(ParserRuleContext ctx) {
    return ctx.start
        .getInputStream()
        .getText(Interval.of(ctx.start.getStartIndex(), ctx.stop.getStopIndex()));
  }

  private static String tokens(ParserRuleContext ctx) {
    StringBuilder out = new StringBuilder();
    collect(ctx, out);
    return out.toString().trim();
  }

  private static void collect(org.antlr.v4.runtime.tree.ParseTree node, StringBuilder out) {
    if (node instanceof org.antlr.v4.runtime.tree.TerminalNode terminal) {
      Token token = terminal.getSymbol();
      if (token.getType() != Token.EOF) {
        out.append(token.getText()).append(' ');
      }
      return;
    }
    for (int i = 0; i < node.getChildCount(); i++) {
      collect(node.getChild(i), out);
    }
  }
}
