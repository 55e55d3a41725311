/** The `gdlab` commands' help, apart from their code, so that --help and usage load nothing else. */

export const GRADIENT_HELP = `gdlab gradient --expr FORMULA [--vars x,y] [--at 1,2 [--at 3,4 …] | --points FILE.csv] [--json]
  The partial derivatives of FORMULA, and f and ∇f at each point, computed as PyTorch's autograd
  computes them. Variables are the free symbols in order of first appearance unless --vars names them.
  --points reads a CSV/TSV/JSON file with a column per variable (by name, or in order without a header).
  Where f or a partial derivative is not a finite number, the point's "undefined" field (a line of
  text without --json) says which and why; numbers that are not finite are written "NaN",
  "Infinity" or "-Infinity". With one --at the JSON is {vars, value, gradient, gradientExprs};
  with several points, {vars, gradientExprs, points: [{at, value, gradient}, …]}.`;

export const MINIMIZE_HELP = `gdlab minimize --expr FORMULA [--vars x,y] --start -1.5,2 --optimizer adam [--lr 0.01 …]
    --steps 1000 [--record 1,10,100] [--grad-tol 0] [--f-tol 0] [--sign-change] [--divergence-bound 1e12]
    [--schedule step|exponential|cosine|inverse_time …] [--warmup-steps N] [--clip-norm C]
    [--save FILE.gdlab] [--json]
  Optimizers: sgd adagrad rmsprop adadelta adam adamw adamax nadam radam (PyTorch's names and
  defaults), newton, backtracking. Hyperparameter flags are PyTorch's names with dashes:
  --momentum --dampening --nesterov --weight-decay --maximize --lr-decay --initial-accumulator-value
  --eps --alpha --centered --rho --betas 0.9,0.999 --amsgrad --momentum-decay --decoupled-weight-decay.
  --grad-tol T stops as converged once ‖∇f‖ ≤ T and the optimizer's next update would move the
  parameters by at most lr·T (momentum and Adam's moments keep a run going); 0, the default, never
  stops on the gradient. --f-tol F stops once f changes by at most F in an update.`;

export const FIT_HELP = `gdlab fit --data FILE.csv --target y [--features x1,x2] --model linear|logistic|softmax|poly:3|"a*exp(b*x)+c"|mlp:8,8
    [--params a,b,c] [--init a=1,b=0.1] [--activation relu|tanh|sigmoid|linear]
    --loss mse|mae|huber|bce|cross_entropy [--delta 1] [--l1 0] [--l2 0]
    --optimizer sgd --lr 0.1 [hyperparameter flags] [--batch-size 20|full] --epochs 500
    [--shuffle|--no-shuffle] [--seed 1] [--val-split 0.2] [--split-seed 0]
    [--standardize|--no-standardize] [--missing fail|drop]
    [--record-epochs 1,2,5] [--delimiter ";"] [--sheet NAME] [--save FILE.gdlab] [--json]
  --data reads CSV, TSV, JSON, Excel workbooks (.xlsx: the first sheet with a table, or --sheet)
  and Parquet files (flat columns; snappy or uncompressed).
  Linear-model parameters are w1…wn in feature order, then b. mse is mean((ŷ − y)²) with no ½;
  bce is the mean binary cross-entropy of a sigmoid output. Batch size full is batch gradient
  descent, 1 is stochastic gradient descent, n is mini-batch. With --no-shuffle batches follow the
  file order; with --shuffle (the default for batches smaller than the data) a seeded generator
  reshuffles every epoch and the same --seed repeats the run bit for bit. --val-split holds a
  share of the rows out for validation, chosen by --split-seed (0 by default, as in the lab).
  Features are standardized (mean 0, standard deviation 1 over the training rows) unless
  --no-standardize is given or the model is a formula; params are then the trained ones and
  originalParams the same model for the features as given.
  softmax is multinomial logistic regression: one nn.Linear(d, K) layer, a score per class, fitted
  with cross_entropy (its default loss); its parameters are W[k,j] and b[k] and start at 0.
  mlp:8,8 is a network with hidden layers of 8 and 8 units (nn.Linear layers and the activation),
  one output for mse/mae/huber/bce, one per class for cross_entropy (text labels or whole numbers,
  classes in sorted order), with tanh between layers unless --activation says otherwise; its
  weights start as nn.Linear's default, drawn from --seed. Without --loss, a logistic model and a
  network fit bce to a two-class target (two labels, or 0 and 1); a network fits cross_entropy to
  text classes and to whole numbers of at most 10 values; everything else fits mse. These are the
  lab's defaults too (docs/defaults.md).
  The JSON's final.accuracy (and valAccuracy with --val-split) is the share of rows classified right;
  final.metrics (and valMetrics, and each --record-epochs record's) has mse, rmse, mae, r2, adjustedR2
  or accuracy, precision, recall, f1, logLoss, rocAuc, confusion (without the penalty the loss has).
  optimum is the least-squares (mse) or Newton (logistic, softmax with --l2) solution, with
  gapToOptimum; others say none.`;

export const GENERATE_HELP = `gdlab generate circle|xor|gauss|spiral --out FILE.csv [--n 400] [--classes 3] [--noise 0.1] [--seed 1] [--json]
  Writes a 2-D classification set with columns x1, x2, label (0, 1, …): circle (a disc inside a
  ring), xor (the four quadrants), gauss (two Gaussian clouds) or spiral (--classes arms, 3 by
  default). --noise moves each coordinate by noise·N(0, 1) (0.1, or 0.05 for spiral); the same
  --seed writes the same file.`;

export const RUN_HELP = `gdlab run FILE.gdlab [--json]
  Re-runs every run of a saved session headless and reports each one as minimize/fit do, with
  "matchesSaved": whether the re-run ends exactly (bit for bit) where the saved run ended.`;

export const EXPORT_HELP = `gdlab export FILE.gdlab --format pytorch|ipynb|csv [--out PATH] [--json]
  pytorch: a self-contained Python script that rebuilds the problem, optimizers, schedules and
  batch order with torch.optim and prints the same records. ipynb: a Jupyter notebook that states
  the problem and settings, runs that script, checks its final numbers against the lab's and draws
  the loss, the contour map with the paths or the fit with matplotlib (each figure also saved as
  NAME-loss.png, NAME-contour.png, NAME-fit.png). csv: every run's recorded history.
  Without --out the export is printed.`;
