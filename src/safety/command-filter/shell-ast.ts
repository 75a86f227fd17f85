/**
 * A plain-object copy of the syntax tree that mvdan/sh builds (field names as in
 * `mvdan.cc/sh/v3/syntax`), limited to the fields the command filter reads.
 * @see https://pkg.go.dev/mvdan.cc/sh/v3/syntax
 */

/** Any node: `type` is the Go type name without `*syntax.` (`CallExpr`, `Word`, …). */
export interface ShNode {
  /** Go type name, e.g. `CallExpr`. */
  readonly type: string;
  /** The remaining fields, as mvdan/sh names them; see the converter's field table. */
  readonly [field: string]: unknown;
}

/** `File`: a parsed script. */
export interface ShFile extends ShNode {
  readonly type: 'File';
  readonly Stmts: ShStmt[];
}

/** `Stmt`: one command with its redirections and `&`/`!` flags. */
export interface ShStmt extends ShNode {
  readonly type: 'Stmt';
  readonly Cmd: ShNode | null;
  readonly Redirs: ShRedirect[];
  readonly Negated: boolean;
  readonly Background: boolean;
}

/** `Redirect`: `Op` is a token number (see `REDIR`), `Hdoc` the heredoc body. */
export interface ShRedirect extends ShNode {
  readonly type: 'Redirect';
  readonly Op: number;
  readonly N: ShLit | null;
  readonly Word: ShWord | null;
  readonly Hdoc: ShWord | null;
}

/** `Word`: a shell word made of parts (literals, quotes, expansions). */
export interface ShWord extends ShNode {
  readonly type: 'Word';
  readonly Parts: ShNode[];
}

/** `Lit`: literal text, backslashes still in place. */
export interface ShLit extends ShNode {
  readonly type: 'Lit';
  readonly Value: string;
}

/** `CallExpr`: a simple command. */
export interface ShCallExpr extends ShNode {
  readonly type: 'CallExpr';
  readonly Assigns: ShAssign[];
  readonly Args: ShWord[];
}

/** `Assign`: `name=value` (or a naked word in `declare`). */
export interface ShAssign extends ShNode {
  readonly type: 'Assign';
  readonly Naked: boolean;
  readonly Append: boolean;
  readonly Name: ShLit | null;
  readonly Value: ShWord | null;
  readonly Array: ShNode | null;
  readonly Index: ShNode | null;
}

/** Token numbers of redirection operators in mvdan-sh 0.10.1 (checked by a unit test). */
export const REDIR = {
  RdrOut: 54, // >
  AppOut: 55, // >>
  RdrIn: 56, // <
  RdrInOut: 57, // <>
  DplIn: 58, // <&
  DplOut: 59, // >&
  ClbOut: 60, // >|
  Hdoc: 61, // <<
  DashHdoc: 62, // <<-
  WordHdoc: 63, // <<<
  RdrAll: 64, // &>
  AppAll: 65, // &>>
} as const;

/** Token numbers of `&&`, `||`, `|`, `|&`. */
export const BINCMD = { AndStmt: 10, OrStmt: 11, Pipe: 12, PipeAll: 13 } as const;

/** Token numbers of process substitutions. */
export const PROC = { CmdIn: 66, CmdOut: 67 } as const;

/** Token numbers of `${x<op>word}` operators. */
export const PAREXP = {
  AlternateUnset: 68, // +
  AlternateUnsetOrNull: 69, // :+
  DefaultUnset: 70, // -
  DefaultUnsetOrNull: 71, // :-
  ErrorUnset: 72, // ?
  ErrorUnsetOrNull: 73, // :?
  AssignUnset: 74, // =
  AssignUnsetOrNull: 75, // :=
  RemSmallSuffix: 76, // %
  RemLargeSuffix: 77, // %%
  RemSmallPrefix: 78, // #
  RemLargePrefix: 79, // ##
  OtherParamOps: 84, // @P, @Q, …
} as const;
