/** Adapts a compiled formula to the run loop. */
import type { CompiledFormula } from '../formula/compile';
import type { LoopObjective } from './run';

export function formulaObjective(formula: CompiledFormula): LoopObjective {
  return {
    n: formula.vars.length,
    valueAndGradient: formula.valueAndGradient,
    evaluateInto: formula.evaluateInto,
    value: formula.value,
    hessian: formula.hessian,
    fusion: formula.fusion,
    diagnose: formula.diagnose,
  };
}
