/**
 * The lab's private mathjs instance: number-only, with every function that could
 * execute or redefine code disabled inside expressions. Only the parser, the
 * symbolic derivative and the simplifiers are used, and only from this module's
 * exports; user text is never evaluated by mathjs.
 */
import { create, all } from 'mathjs/number';
import type { MathNode } from 'mathjs';

const math = create(all, {});

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
