/**
 * The lab's private mathjs instance: number-only, with every function that could
 * execute or redefine code disabled inside expressions. Only the parser, the
 * symbolic derivative and the simplifiers are used, and only from this module's
 * exports; user text is never evaluated by mathjs.
 */
import {
  create,
  parseDependencies,
  derivativeDependencies,
  simplifyDependencies,
  simplifyCoreDependencies,
  simplifyConstantDependencies,
  sinDependencies, cosDependencies, tanDependencies, secDependencies, cscDependencies, cotDependencies,
  asinDependencies, acosDependencies, atanDependencies, sinhDependencies, coshDependencies, tanhDependencies,
  sechDependencies, cschDependencies, cothDependencies, asecDependencies, acscDependencies, acotDependencies,
  asinhDependencies, acoshDependencies, atanhDependencies, asechDependencies, acschDependencies, acothDependencies,
  expDependencies, expm1Dependencies, logDependencies, log10Dependencies, log2Dependencies, log1pDependencies,
  sqrtDependencies, cbrtDependencies, absDependencies, signDependencies, atan2Dependencies, hypotDependencies,
  minDependencies, maxDependencies, powDependencies, squareDependencies, cubeDependencies,
  addDependencies, subtractDependencies, multiplyDependencies, divideDependencies, unaryMinusDependencies, unaryPlusDependencies,
} from 'mathjs/number';
import type { MathNode } from 'mathjs';

// Only the factories the formula layer uses: the parser, the symbolic derivative, the simplifiers,
// the arithmetic operators and the functions a formula may call (simplify folds constants with them). A bundle then
// carries just these, which keeps the command line's start-up short.
const math = create(
  {
    parseDependencies, derivativeDependencies, simplifyDependencies, simplifyCoreDependencies, simplifyConstantDependencies,
    sinDependencies, cosDependencies, tanDependencies, secDependencies, cscDependencies, cotDependencies,
    asinDependencies, acosDependencies, atanDependencies, sinhDependencies, coshDependencies, tanhDependencies,
    sechDependencies, cschDependencies, cothDependencies, asecDependencies, acscDependencies, acotDependencies,
    asinhDependencies, acoshDependencies, atanhDependencies, asechDependencies, acschDependencies, acothDependencies,
    expDependencies, expm1Dependencies, logDependencies, log10Dependencies, log2Dependencies, log1pDependencies,
    sqrtDependencies, cbrtDependencies, absDependencies, signDependencies, atan2Dependencies, hypotDependencies,
    minDependencies, maxDependencies, powDependencies, squareDependencies, cubeDependencies,
    addDependencies, subtractDependencies, multiplyDependencies, divideDependencies, unaryMinusDependencies, unaryPlusDependencies,
  },
  {},
);

// Keep references before disabling the names inside expressions.
const parse = math.parse.bind(math) as (expr: string) => MathNode;
const derivative = math.derivative.bind(math) as (
  expr: MathNode,
  variable: string,
  options?: { simplify: boolean },
) => MathNode;
const simplify = math.simplify.bind(math) as unknown as (expr: MathNode) => MathNode;
const simplifyCore = math.simplifyCore.bind(math) as unknown as (expr: MathNode) => MathNode;
const simplifyConstant = math.simplifyConstant.bind(math) as unknown as (expr: MathNode) => MathNode;
const nodeTypes = {
  ConstantNode: math.ConstantNode,
  SymbolNode: math.SymbolNode,
  OperatorNode: math.OperatorNode,
  FunctionNode: math.FunctionNode,
  ParenthesisNode: math.ParenthesisNode,
};

function disabled(name: string) {
  return () => {
    throw new Error(`Function ${name} is disabled`);
  };
}

math.import(
  {
    import: disabled('import'),
    createUnit: disabled('createUnit'),
    reviver: disabled('reviver'),
    evaluate: disabled('evaluate'),
    parse: disabled('parse'),
    simplify: disabled('simplify'),
    simplifyCore: disabled('simplifyCore'),
    simplifyConstant: disabled('simplifyConstant'),
    derivative: disabled('derivative'),
    resolve: disabled('resolve'),
  },
  { override: true },
);

export { parse, derivative, simplify, simplifyCore, simplifyConstant, nodeTypes };
export type { MathNode };

/**
 * A mathjs syntax node as the formula code reads it: the properties of every node type it handles,
 * each present only on nodes of its own type (value on constants, name on symbols, op and args on
 * operators, fn and args on calls, content on parentheses, …), so code checks `type` first.
 */
export type FormulaNode = MathNode & {
  readonly type: string;
  readonly value: unknown;
  readonly name: string;
  readonly op: string;
  /** An operator's function name (add, unaryMinus, …), or a call's function (a SymbolNode, or an expression). */
  readonly fn: string & FormulaNode;
  readonly args: FormulaNode[];
  readonly content: FormulaNode;
  readonly object: FormulaNode;
  readonly index: FormulaNode & { readonly dotNotation?: boolean };
  readonly implicit: boolean;
  readonly params: FormulaNode[];
  readonly start: FormulaNode;
  readonly end: FormulaNode;
  readonly step: FormulaNode | undefined;
  readonly condition: FormulaNode;
  readonly trueExpr: FormulaNode;
  readonly falseExpr: FormulaNode;
  readonly blocks: Array<{ node: FormulaNode }>;
  readonly dimensions: FormulaNode[];
  readonly items: FormulaNode[];
  readonly properties: Record<string, FormulaNode>;
  readonly expr: FormulaNode;
  transform(callback: (node: FormulaNode, path: string, parent: FormulaNode) => MathNode): FormulaNode;
  traverse(callback: (node: FormulaNode, path: string, parent: FormulaNode) => void): void;
  forEach(callback: (child: FormulaNode, path: string, parent: FormulaNode) => void): void;
  cloneDeep(): FormulaNode;
};
