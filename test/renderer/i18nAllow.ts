/**
 * Texts that are the same in every language: names (of the app, of languages, of optimizers, of
 * test functions), units and symbols. The untranslated-text checks (catalogs, menus, the page in a
 * browser) accept these and nothing else.
 */
export const UNTRANSLATED_OK = new Set<string>([
  'Gradient Descent Lab',
  'Newton',
  'English',
  'Português (Brasil)',
  'Português',
  '中文',
  '中文 (简体)',
  'PyTorch',
  'SGD', 'Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'RMSprop', 'Adagrad', 'Adadelta', 'ASGD', 'Rprop', 'L-BFGS',
  'Rosenbrock', 'Himmelblau', 'Rastrigin', 'Beale', 'Booth', 'Matyas', 'Ackley', 'Sphere',
  // A logarithmic axis is written log in Portuguese too.
  'log',
  'mse', 'mae', 'huber', 'bce', 'cross_entropy', 'lr', 'CSV', 'PNG', 'SVG', 'JSON', 'TSV', 'XOR', 'MLP',
  // Metric abbreviations, written so in Chinese texts too.
  'ROC AUC',
  // Activation functions, by their names in PyTorch.
  'relu', 'tanh', 'sigmoid', 'linear',
  // torch.optim's argument names, which the run fields are labelled with (their tooltips are translated).
  'momentum', 'dampening', 'nesterov', 'betas', 'weight_decay', 'eps', 'alpha', 'rho', 'lambd', 't0', 'etas', 'step_sizes', 'amsgrad',
  'maximize', 'centered', 'lr_decay', 'momentum_decay', 'decoupled_weight_decay', 'max_iter', 'history_size', 'line_search_fn',
  'step_size', 'gamma', 'T_max', 'eta_min', 'warmup_steps', 'initial_accumulator_value', 'decay',
]);
