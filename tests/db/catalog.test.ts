// The seam between TypeScript and SQL, read from both sides: every rpc the
// functions call against Postgres's catalog (names, argument names, which are
// required), every json key a SQL function reads from a zod object against the
// TypeScript type passed in, and every enum against its TypeScript list. A
// rename on one side only fails here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  goodsView,
  ledgerEntryView,
  meView,
  ORDER_STATUSES,
  PROJECT_STATUSES,
  projectView,
  REDEMPTION_STATUSES,
  ROLES,
  SERVICE_CATEGORIES,
} from '@llb/shared';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { createTestDatabase, type TestDatabase } from '../support/database';

interface RpcCall {
  name: string;
  where: string;
  args: string[];
  /** For each argument given an object: the keys its TypeScript type has. */
  objectKeys: Record<string, string[]>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function propertyNames(checker: ts.TypeChecker, type: ts.Type): string[] {
  const types = type.isUnion() ? type.types : [type];
  return [...new Set(types.flatMap((t) => checker.getPropertiesOfType(t).map((p) => p.name)))];
}

/** The function names a call's first argument can be: a string literal, or a union of them. */
function literalNames(type: ts.Type): string[] {
  const types = type.isUnion() ? type.types : [type];
  return types.every((t) => t.isStringLiteral()) ? types.map((t) => (t as ts.StringLiteralType).value) : [];
}

const PRIMITIVE =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Null;

/** Every `….rpc('name', { … })` in the functions, with what the type checker knows of its arguments. */
function rpcCalls(root = join(REPO_ROOT, 'functions/src')): RpcCall[] {
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(join(REPO_ROOT, 'tsconfig.json'), ts.sys.readFile).config,
    ts.sys,
    REPO_ROOT,
  );
  const program = ts.createProgram(sourceFiles(root), config.options);
  const checker = program.getTypeChecker();
  const calls: RpcCall[] = [];
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(root)) continue;
    const visit = (node: ts.Node): void => {
      const names =
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'rpc' &&
        node.arguments[0]
          ? literalNames(checker.getTypeAtLocation(node.arguments[0]))
          : [];
      if (ts.isCallExpression(node) && names.length > 0) {
        const argsNode = node.arguments[1];
        const argsType = argsNode ? checker.getTypeAtLocation(argsNode) : null;
        const objectKeys: Record<string, string[]> = {};
        const args = argsType ? propertyNames(checker, argsType) : [];
        for (const symbol of argsType ? checker.getPropertiesOfType(argsType) : []) {
          const type = checker.getTypeOfSymbolAtLocation(symbol, argsNode as ts.Node);
          const nonNull = checker.getNonNullableType(type);
          if (!(nonNull.flags & PRIMITIVE) && !checker.isArrayType(nonNull)) {
            objectKeys[symbol.name] = propertyNames(checker, nonNull);
          }
        }
        const { line } = file.getLineAndCharacterOfPosition(node.getStart());
        for (const name of names) {
          calls.push({
            name,
            where: `${file.fileName.slice(REPO_ROOT.length + 1)}:${line + 1}`,
            args,
            objectKeys,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return calls;
}

interface SqlFunction {
  schema: string;
  name: string;
  args: string[];
  required: string[];
  source: string;
  callable: boolean;
}

async function sqlFunctions(t: TestDatabase): Promise<SqlFunction[]> {
  const { rows } = await t.admin.query<{
    schema: string;
    name: string;
    args: string[] | null;
    nargs: number;
    ndefaults: number;
    source: string;
    callable: boolean;
  }>(`
    select n.nspname as schema, p.proname as name, p.proargnames as args, p.pronargs as nargs,
      p.pronargdefaults as ndefaults, p.prosrc as source,
      has_function_privilege('service_role', p.oid, 'execute') as callable
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'private') and p.prokind = 'f'
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`);
  return rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    args: (r.args ?? []).slice(0, r.nargs),
    required: (r.args ?? []).slice(0, r.nargs - r.ndefaults),
    source: r.source,
    callable: r.callable,
  }));
}

/** The json keys a function reads from its parameter (`p_input->>'title'`), following private helpers it passes it to. */
function keysRead(fn: SqlFunction, param: string, all: SqlFunction[], seen = new Set<string>()): Set<string> {
  const keys = new Set<string>();
  if (seen.has(`${fn.name}:${param}`)) return keys;
  seen.add(`${fn.name}:${param}`);
  for (const m of fn.source.matchAll(new RegExp(`\\b${param}\\s*->>?\\s*'([A-Za-z0-9_]+)'`, 'g'))) {
    keys.add(m[1] as string);
  }
  // Helpers called with this parameter read it under their own parameter name.
  for (const helper of all.filter((f) => f.schema === 'private')) {
    for (const call of fn.source.matchAll(new RegExp(`private\\.${helper.name}\\(([^;]*?)\\)`, 'g'))) {
      const position = (call[1] as string).split(',').findIndex((a) => a.trim() === param);
      const helperParam = position >= 0 ? helper.args[position] : undefined;
      if (helperParam) for (const k of keysRead(helper, helperParam, all, seen)) keys.add(k);
    }
  }
  return keys;
}

let t: TestDatabase;
let functions: SqlFunction[];
let calls: RpcCall[];
beforeAll(async () => {
  t = await createTestDatabase();
  functions = await sqlFunctions(t);
  calls = rpcCalls();
}, 60_000);
afterAll(() => t.close());

describe('the rpc seam', () => {
  it('finds the functions’ calls (the reader itself works)', () => {
    expect(calls.length).toBeGreaterThan(50);
    expect(calls.find((c) => c.name === 'place_order')?.objectKeys.p_input).toContain('windowStart');
    expect(calls.find((c) => c.name === 'check_out')?.objectKeys.p_proof).toContain('code');
  });

  it('calls only functions the API role may execute, with their argument names, giving every required one', () => {
    const problems: string[] = [];
    for (const call of calls) {
      const fn = functions.find((f) => f.schema === 'public' && f.name === call.name);
      if (!fn) {
        problems.push(`${call.where}: public.${call.name} does not exist`);
        continue;
      }
      if (!fn.callable) problems.push(`${call.where}: service_role may not execute public.${call.name}`);
      for (const arg of call.args) {
        if (!fn.args.includes(arg))
          problems.push(`${call.where}: public.${call.name} has no argument ${arg}`);
      }
      for (const arg of fn.required) {
        if (!call.args.includes(arg)) problems.push(`${call.where}: public.${call.name} needs ${arg}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('leaves no function the API role may execute uncalled', () => {
    const called = new Set(calls.map((c) => c.name));
    const uncalled = functions.filter((f) => f.schema === 'public' && f.callable && !called.has(f.name));
    expect(uncalled.map((f) => f.name)).toEqual([]);
  });

  it('reads from each json argument exactly the keys its TypeScript type has', () => {
    const problems: string[] = [];
    for (const call of calls) {
      const fn = functions.find((f) => f.schema === 'public' && f.name === call.name);
      if (!fn) continue;
      for (const [param, tsKeys] of Object.entries(call.objectKeys)) {
        const sqlKeys = keysRead(fn, param, functions);
        if (sqlKeys.size === 0) continue; // passed through whole (stored, compared), not read key by key
        for (const k of sqlKeys) {
          if (!tsKeys.includes(k))
            problems.push(`${call.where}: ${call.name} reads ${param}->'${k}', TypeScript has no ${k}`);
        }
        for (const k of tsKeys) {
          if (!sqlKeys.has(k))
            problems.push(`${call.where}: ${call.name} never reads ${param}->'${k}' that TypeScript sends`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('enums', () => {
  async function labels(type: string): Promise<string[]> {
    const { rows } = await t.admin.query<{ label: string }>(
      `select e.enumlabel as label from pg_enum e join pg_type ty on ty.oid = e.enumtypid
       where ty.typname = $1 order by e.enumsortorder`,
      [type],
    );
    return rows.map((r) => r.label);
  }

  it.each([
    ['app_role', ROLES],
    ['service_category', SERVICE_CATEGORIES.map((c) => c.code)],
    ['order_status', ORDER_STATUSES],
    ['project_status', PROJECT_STATUSES],
    ['project_mode', projectView.shape.mode.options],
    ['redemption_status', REDEMPTION_STATUSES],
    ['goods_status', goodsView.shape.status.options],
    ['transfer_kind', ledgerEntryView.shape.kind.options],
    ['verification_status', meView.shape.volunteer.unwrap().shape.status.options],
  ])('%s has the same values in SQL and TypeScript', async (type, values) => {
    expect(await labels(type)).toEqual([...values]);
  });

  it('has a TypeScript side for every enum the API shows (the rest named here as SQL-only)', async () => {
    const { rows } = await t.admin.query<{ name: string }>(
      `select ty.typname as name from pg_type ty join pg_namespace n on n.oid = ty.typnamespace
       where n.nspname = 'public' and ty.typtype = 'e' order by 1`,
    );
    const compared = [
      'app_role',
      'goods_status',
      'order_status',
      'project_mode',
      'project_status',
      'redemption_status',
      'service_category',
      'transfer_kind',
      'verification_status',
    ];
    const sqlOnly = ['account_kind', 'offer_status', 'stock_kind'];
    expect(rows.map((r) => r.name)).toEqual([...compared, ...sqlOnly].sort());
  });
});
