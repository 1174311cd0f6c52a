/**
 * One contract between server and browsers (issue 13 c): the staff console (admin-web) and the
 * LIFF pages (liff-web) take the API's shapes and fixed lists from the server's own modules, so a
 * changed server field fails `npm run typecheck` instead of a citizen's page. This test fails when
 * a hand copy comes back:
 *
 * - a list of string literals (a union type or an array of ≥ 3) that is the same list as one the
 *   server declares, or the same but for a drifted member or two (DeliveryStatus, item types,
 *   weekdays, …): import the server's type or constant instead;
 * - a browser interface or object type named like a type the server exports (`Delivery`, `Form`,
 *   …): import it (or derive from it) instead;
 * - a value import of a server module that is not dependency-free (it, or a module it imports,
 *   imports a package or a Node built-in): that code would land in the bundle. Move the constant
 *   to a small dependency-free module (as functions/forms/vocabulary.ts) instead.
 *
 * The LINE simulator's phone page (simulator/phone-web) is held to the same with the simulator's
 * control API: its shapes come from simulator/views.ts, and it imports the simulator's modules (which
 * run on Node) as types only.
 *
 * Syntax only (the TypeScript parser, no type-checking), so it runs in a moment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');
const BROWSER_DIRS = ['admin-web/src', 'liff-web/src'];
const SERVER_DIR = 'functions';

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let source = parsed.get(file);
  if (!source) {
    const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true, kind);
    parsed.set(file, source);
  }
  return source;
}

const where = (node: ts.Node) => `${node.getSourceFile().fileName}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

function visit(source: ts.SourceFile, each: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    each(node);
    ts.forEachChild(node, walk);
  };
  walk(source);
}

// ---- lists of string literals --------------------------------------------------------------------

interface LiteralList {
  at: string;
  values: Set<string>;
}

/** Union types (their string-literal members) and arrays made only of string literals, ≥ 3 strings. */
function literalLists(files: string[]): LiteralList[] {
  const lists: LiteralList[] = [];
  for (const file of files) {
    visit(parse(file), (node) => {
      let values: string[] = [];
      if (ts.isUnionTypeNode(node)) {
        values = node.types.flatMap((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text] : []));
      } else if (ts.isArrayLiteralExpression(node) && node.elements.every((e) => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e))) {
        values = node.elements.map((e) => (e as ts.StringLiteral).text);
      }
      if (new Set(values).size >= 3) lists.push({ at: where(node), values: new Set(values) });
    });
  }
  return lists;
}

/** The same list: at least 3 values in common and at least 3 in 4 of all values of both shared. */
function sameList(a: Set<string>, b: Set<string>): boolean {
  const common = [...a].filter((v) => b.has(v)).length;
  const all = new Set([...a, ...b]).size;
  return common >= 3 && common / all >= 0.75;
}

function copiedLists(browserFiles: string[], serverFiles: string[]): string[] {
  const server = literalLists(serverFiles);
  return literalLists(browserFiles).flatMap((list) => {
    const original = server.find((s) => sameList(list.values, s.values));
    return original ? [`${list.at} [${[...list.values].join(', ')}] copies ${original.at}`] : [];
  });
}

// ---- types named like the server's -------------------------------------------------------------

function serverTypeNames(serverFiles: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of serverFiles) {
    for (const statement of parse(file).statements) {
      if (!(ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))) continue;
      if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      if (!names.has(statement.name.text)) names.set(statement.name.text, where(statement));
    }
  }
  return names;
}

/** An object type written out: a literal `{…}`, or a union / intersection with one in it. */
function declaresShape(type: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(type) || ts.isMappedTypeNode(type)) return true;
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return type.types.some(declaresShape);
  if (ts.isParenthesizedTypeNode(type)) return declaresShape(type.type);
  return false;
}

function shadowedTypes(browserFiles: string[], serverFiles: string[]): string[] {
  const server = serverTypeNames(serverFiles);
  const found: string[] = [];
  for (const file of browserFiles) {
    visit(parse(file), (node) => {
      const shape = ts.isInterfaceDeclaration(node) || (ts.isTypeAliasDeclaration(node) && declaresShape(node.type));
      if (!shape) return;
      const name = (node as ts.InterfaceDeclaration | ts.TypeAliasDeclaration).name.text;
      const original = server.get(name);
      if (original) found.push(`${where(node)} declares ${name}, which the server exports (${original})`);
    });
  }
  return found;
}

// ---- value imports of server modules -------------------------------------------------------------

/** Specifiers a module imports or re-exports as values (type-only ones are erased at build). */
function valueImports(file: string): string[] {
  const out: string[] = [];
  for (const statement of parse(file).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      const typeOnly =
        statement.isTypeOnly ||
        (statement.exportClause && ts.isNamedExports(statement.exportClause) && statement.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => existsSync(join(ROOT, candidate)));
}

/** For each server module the browsers import values from: the packages its code pulls in. */
function serverCodeInBundles(browserFiles: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const follow = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      if (!specifier.startsWith('.')) {
        problems.push(`${chain.join(' → ')} → ${file} imports '${specifier}'`);
        continue;
      }
      const target = resolveRelative(file, specifier);
      if (target) follow(target, [...chain, file]);
    }
  };
  for (const file of browserFiles) {
    for (const specifier of valueImports(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target && relative(SERVER_DIR, target).split(/[\\/]/)[0] !== '..') follow(target, [file]);
    }
  }
  return problems;
}

describe('one contract between server and browsers', () => {
  const browserFiles = BROWSER_DIRS.flatMap(sourceFiles);
  const serverFiles = sourceFiles(SERVER_DIR);

  it('finds the code it checks', () => {
    expect(browserFiles).toContain(join('admin-web', 'src', 'api', 'deliveries.ts'));
    expect(browserFiles).toContain(join('liff-web', 'src', 'model.ts'));
    expect(serverFiles).toContain(join('functions', 'deliveries', 'model.ts'));
  });

  it('has no hand copy of a list the server declares (statuses, item types, weekdays, …)', () => {
    expect(copiedLists(browserFiles, serverFiles)).toEqual([]);
  });

  it('has no browser type named like a type the server exports', () => {
    expect(shadowedTypes(browserFiles, serverFiles)).toEqual([]);
  });

  it('imports values only from dependency-free server modules', () => {
    expect(serverCodeInBundles(browserFiles)).toEqual([]);
  });

  it("tells a copy from a list of the browser's own", () => {
    const statuses = literalLists([join('functions', 'deliveries', 'model.ts')]).find((l) => l.values.has('pending_approval'))!.values;
    // A copy that missed a status added later is still a copy…
    expect(sameList(new Set([...statuses].filter((s) => s !== 'cancelled')), statuses)).toBe(true);
    // …a subset the console decides on (「送信を始めた」) is not.
    expect(sameList(new Set(['sending', 'sent', 'partly_failed', 'failed']), statuses)).toBe(false);
    expect(serverTypeNames(serverFiles).has('Delivery')).toBe(true);
  });
});

describe('one contract between the LINE simulator and its phone page', () => {
  const phoneFiles = sourceFiles(join('simulator', 'phone-web', 'src'));
  const simulatorFiles = sourceFiles('simulator').filter((f) => !f.startsWith(join('simulator', 'phone-web')));

  it('finds the code it checks', () => {
    expect(phoneFiles).toContain(join('simulator', 'phone-web', 'src', 'api.ts'));
    expect(simulatorFiles).toContain(join('simulator', 'views.ts'));
    expect(serverTypeNames(simulatorFiles).has('ConversationItem')).toBe(true);
  });

  // Types only: lists of LINE's own values (datetimepicker modes, …) are LINE's, which the page and
  // the simulator's validation both follow.
  it('has no type named like one the simulator exports', () => {
    expect(shadowedTypes(phoneFiles, simulatorFiles)).toEqual([]);
  });

  it("imports the simulator's modules as types only (they run on Node), and values only from dependency-free server modules", () => {
    const simulatorValues = phoneFiles.flatMap((file) =>
      valueImports(file)
        .map((specifier) => (specifier.startsWith('.') ? resolveRelative(file, specifier) : undefined))
        .filter((target): target is string => !!target && simulatorFiles.includes(target))
        .map((target) => `${file} imports ${target} as a value`),
    );
    expect(simulatorValues).toEqual([]);
    expect(serverCodeInBundles(phoneFiles)).toEqual([]);
  });
});
