// The Vigil rule language. Layout is free-form: indentation in the samples is for people,
// the parser only needs the keywords. Semantic checks (names, types, Flink's structural limits)
// live in the type checker so that they can report several errors with hints.
grammar Vigil;

file
    : declaration* EOF
    ;

declaration
    : streamDecl
    | ruleDecl
    ;

// ---------------------------------------------------------------- streams

streamDecl
    : STREAM name=ident streamClause*
    ;

streamClause
    : TIME fieldPath                # timeClause
    | LATENESS DURATION             # latenessClause
    | FIELDS fieldDecl+             # fieldsClause
    ;

fieldDecl
    : fieldPath ':' typeName=ident
    ;

fieldPath
    : ident ('.' ident)*
    ;

// A `{hole}` of an alert template, parsed on its own.
templateHole
    : expr EOF
    ;

// ---------------------------------------------------------------- rules

ruleDecl
    : RULE name=ident ruleClause*
    ;

ruleClause
    : TITLE STRING                                  # titleClause
    | SEVERITY ident                                # severityClause
    | TAGS label (',' label)*                       # tagsClause
    | OWNER label                                   # ownerClause
    | PARTITION BY fieldPath (',' fieldPath)*       # partitionClause
    | FROM ident                                    # fromClause
    | PATTERN sequence                              # patternClause
    | WITHIN DURATION                               # withinClause
    | MAX GAP DURATION                              # maxGapClause
    | SKIP_ skipStrategy                            # skipClause
    | HAVING expr                                   # havingClause
    | ALERT STRING                                  # alertClause
    | ON TIMEOUT ALERT STRING                       # timeoutAlertClause
    ;

label
    : ident
    | STRING
    ;

skipStrategy
    : NONE                      # skipNone
    | TO NEXT                   # skipToNext
    | PAST LAST EVENT           # skipPastLastEvent
    | TO FIRST ident            # skipToFirst
    | TO LAST ident             # skipToLast
    ;

// ---------------------------------------------------------------- patterns

sequence
    : element (link element)*
    ;

link
    : THEN ANY                  # followedByAny
    | THEN NOT                  # notFollowedBy
    | NOT THEN                  # notFollowedBy2
    | THEN                      # followedBy
    | NEXT NOT                  # notNext
    | NOT NEXT                  # notNext2
    | NEXT                      # next
    ;

element
    : name=ident ':' stream=ident '(' expr ')' quantifier? modifier*      # streamStage
    | name=ident ':' expr quantifier? modifier*                          # bareStage
    | '(' sequence ')' quantifier? modifier*                             # group
    ;

quantifier
    : '{' INT '}'               # exactly
    | '{' INT ',' INT '}'       # range
    | '{' INT ',' '}'           # atLeast
    | '+'                       # oneOrMore
    | '*'                       # zeroOrMore
    | '?'                       # optional
    ;

modifier
    : GREEDY                    # greedy
    | CONSECUTIVE               # consecutive
    | ANY COMBINATION           # anyCombination
    | UNTIL '(' expr ')'        # until
    ;

// ---------------------------------------------------------------- expressions
// Alternatives are listed from the tightest binding to the loosest.

expr
    : '(' expr ')'                                                  # parens
    | '-' expr                                                      # negate
    | expr op=('*' | '/' | '%') expr                                # multiplicative
    | expr op=('+' | '-') expr                                      # additive
    | expr op=('==' | '!=' | '<' | '<=' | '>' | '>=') expr          # comparison
    | expr NOT? IN '[' expr (',' expr)* ']'                         # inList
    | expr NOT? BETWEEN bound AND bound                              # between
    | expr op=(CONTAINS | STARTS_WITH | ENDS_WITH | MATCHES) expr   # stringTest
    | NOT expr                                                      # not
    | expr AND expr                                                 # and
    | expr OR expr                                                  # or
    | literal                                                       # literalExpr
    | fn=ident '(' (expr (',' expr)*)? ')' ('.' fieldPath)?         # call
    | fieldPath                                                     # path
    ;

// Bounds of `between` are operands, so that the `and` between them is never read as a conjunction.
bound
    : '-'? literal
    | fieldPath
    | ident '(' (expr (',' expr)*)? ')' ('.' fieldPath)?
    | '(' expr ')'
    ;

literal
    : INT
    | DECIMAL
    | STRING
    | TRUE
    | FALSE
    | NULL
    ;

// Keywords that cannot end an expression or a clause may also be used as names,
// so that a stream can have a field called `time` or `owner`.
ident
    : IDENT
    | TIME | LATENESS | FIELDS | TITLE | SEVERITY | TAGS | OWNER | PARTITION | BY | FROM | PATTERN
    | GAP | NONE | TO | PAST | LAST | FIRST | MAX | EVENT | TIMEOUT | COMBINATION | GREEDY | CONSECUTIVE
    ;

// ---------------------------------------------------------------- lexer

STREAM      : 'stream';
TIME        : 'time';
LATENESS    : 'lateness';
FIELDS      : 'fields';
RULE        : 'rule';
TITLE       : 'title';
SEVERITY    : 'severity';
TAGS        : 'tags';
OWNER       : 'owner';
PARTITION   : 'partition';
BY          : 'by';
FROM        : 'from';
PATTERN     : 'pattern';
WITHIN      : 'within';
MAX         : 'max';
GAP         : 'gap';
SKIP_       : 'skip';
NONE        : 'none';
TO          : 'to';
PAST        : 'past';
LAST        : 'last';
FIRST       : 'first';
EVENT       : 'event';
HAVING      : 'having';
ALERT       : 'alert';
ON          : 'on';
TIMEOUT     : 'timeout';
THEN        : 'then';
NEXT        : 'next';
ANY         : 'any';
COMBINATION : 'combination';
GREEDY      : 'greedy';
CONSECUTIVE : 'consecutive';
UNTIL       : 'until';
AND         : 'and';
OR          : 'or';
NOT         : 'not';
IN          : 'in';
BETWEEN     : 'between';
CONTAINS    : 'contains';
STARTS_WITH : 'startsWith';
ENDS_WITH   : 'endsWith';
MATCHES     : 'matches';
TRUE        : 'true';
FALSE       : 'false';
NULL        : 'null';

DURATION    : [0-9]+ ('ms' | 's' | 'm' | 'h' | 'd');
DECIMAL     : [0-9]+ '.' [0-9]+;
INT         : [0-9]+;
// Only \" and \\ are escapes: every other backslash is kept, so regular expressions read as written.
STRING      : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"';
IDENT       : [a-zA-Z_] [a-zA-Z_0-9]*;

LINE_COMMENT: ('#' | '//') ~[\r\n]* -> skip;
WS          : [ \t\r\n]+ -> skip;

// Anything else is reported by the parser with its position rather than silently dropped.
UNKNOWN_CHAR: .;
