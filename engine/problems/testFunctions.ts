/**
 * Built-in test functions with their known minima, as used throughout the
 * optimization literature (Jamil & Yang, "A literature survey of benchmark
 * functions for global optimization problems", 2013), plus the tutorial's own
 * examples. `range` is the plotting window, `start` a customary start point.
 */

export interface TestFunction {
  id: string;
  title: string;
  expr: string;
  vars: string[];
  start: number[];
  range: Array<[number, number]>;
  /** Known minima (points and value); empty where the function is unbounded below. */
  minima: Array<{ point: number[]; value: number }>;
  note: string;
}

export const TEST_FUNCTIONS: readonly TestFunction[] = [
  {
    id: 'parabola',
    title: '5x² (tutorial, one variable)',
    expr: '5*x^2',
    vars: ['x'],
    start: [1],
    range: [[-1.5, 1.5]],
    minima: [{ point: [0], value: 0 }],
    note: 'f′(x) = 10x, so f′(1) = 10. Gradient descent with lr 0.05 halves x each step; lr 0.2 jumps between ±1; lr 0.25 diverges.',
  },
  {
    id: 'tutorial3',
    title: '2x² + 6z² + 7m³ (tutorial, three variables)',
    expr: '2*x^2 + 6*z^2 + 7*m^3',
    vars: ['x', 'z', 'm'],
    start: [1, 1, 1],
    range: [[-2, 2], [-2, 2], [-2, 2]],
    minima: [],
    note: 'The gradient is [4x, 12z, 21m²]: [4, 12, 21] at [1, 1, 1]. Unbounded below in m, so descent runs off to m → −∞.',
  },
  {
    id: 'bowl',
    title: 'Quadratic bowl',
    expr: 'x^2 + y^2',
    vars: ['x', 'y'],
    start: [-4, 3],
    range: [[-5, 5], [-5, 5]],
    minima: [{ point: [0, 0], value: 0 }],
    note: 'Perfectly conditioned: the gradient points straight at the minimum.',
  },
  {
    id: 'ill-bowl',
    title: 'Ill-conditioned bowl',
    expr: 'x^2 + 50*y^2',
    vars: ['x', 'y'],
    start: [-4, 1],
    range: [[-5, 5], [-1.5, 1.5]],
    minima: [{ point: [0, 0], value: 0 }],
    note: 'Condition number 50: plain gradient descent zig-zags across the valley; momentum and adaptive methods do better.',
  },
  {
    id: 'rosenbrock',
    title: 'Rosenbrock',
    expr: '(1 - x)^2 + 100*(y - x^2)^2',
    vars: ['x', 'y'],
    start: [-1.5, 2],
    range: [[-2, 2], [-1, 3]],
    minima: [{ point: [1, 1], value: 0 }],
    note: 'A curved narrow valley: easy to reach, slow to follow to (1, 1).',
  },
  {
    id: 'beale',
    title: 'Beale',
    expr: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2',
    vars: ['x', 'y'],
    start: [1, 1.5],
    range: [[-4.5, 4.5], [-4.5, 4.5]],
    minima: [{ point: [3, 0.5], value: 0 }],
    note: 'Flat plateaus and sharp ridges around the corners.',
  },
  {
    id: 'himmelblau',
    title: 'Himmelblau',
    expr: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
    vars: ['x', 'y'],
    start: [0, 0],
    range: [[-5, 5], [-5, 5]],
    minima: [
      { point: [3, 2], value: 0 },
      { point: [-2.805118086952745, 3.131312518250573], value: 0 },
      { point: [-3.779310253377747, -3.283185991286170], value: 0 },
      { point: [3.584428340330492, -1.848126526964404], value: 0 },
    ],
    note: 'Four equal minima: which one a run finds depends on where it starts.',
  },
  {
    id: 'booth',
    title: 'Booth',
    expr: '(x + 2*y - 7)^2 + (2*x + y - 5)^2',
    vars: ['x', 'y'],
    start: [-5, -5],
    range: [[-10, 10], [-10, 10]],
    minima: [{ point: [1, 3], value: 0 }],
    note: 'A tilted quadratic bowl.',
  },
  {
    id: 'matyas',
    title: 'Matyas',
    expr: '0.26*(x^2 + y^2) - 0.48*x*y',
    vars: ['x', 'y'],
    start: [8, -6],
    range: [[-10, 10], [-10, 10]],
    minima: [{ point: [0, 0], value: 0 }],
    note: 'A very flat valley along x = y.',
  },
  {
    id: 'saddle',
    title: 'Saddle x² − y²',
    expr: 'x^2 - y^2',
    vars: ['x', 'y'],
    start: [-2, 0.001],
    range: [[-3, 3], [-3, 3]],
    minima: [],
    note: 'A saddle point at the origin and no minimum: a run started near y = 0 lingers there before escaping.',
  },
  {
    id: 'rastrigin',
    title: 'Rastrigin',
    expr: '20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)',
    vars: ['x', 'y'],
    start: [3.2, -2.3],
    range: [[-5.12, 5.12], [-5.12, 5.12]],
    minima: [{ point: [0, 0], value: 0 }],
    note: 'A bowl covered in local minima: gradient methods stop in the nearest one.',
  },
  {
    id: 'ackley',
    title: 'Ackley',
    expr: '-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20',
    vars: ['x', 'y'],
    start: [2.5, -1.8],
    range: [[-5, 5], [-5, 5]],
    minima: [{ point: [0, 0], value: 0 }],
    note: 'Nearly flat outside, many local minima, a sharp funnel at the origin (where the gradient is undefined).',
  },
  {
    id: 'camel',
    title: 'Six-hump camel',
    expr: '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2',
    vars: ['x', 'y'],
    start: [-1.5, 0.5],
    range: [[-2, 2], [-1, 1]],
    minima: [
      { point: [0.08984201368301331, -0.7126564032704135], value: -1.031628453489877 },
      { point: [-0.08984201368301331, 0.7126564032704135], value: -1.031628453489877 },
    ],
    note: 'Six local minima, two of them global.',
  },
];

export function testFunction(id: string): TestFunction | undefined {
  return TEST_FUNCTIONS.find((f) => f.id === id);
}
