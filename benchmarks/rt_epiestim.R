# EpiEstim::estimate_R over the first N villages of the Rt benchmark (benchmarks/rt.py).
# Usage: Rscript rt_epiestim.R DIR VILLAGES DAYS N
# Reads DIR/local.bin and DIR/imported.bin (float64, villages x days, row-major), writes
# DIR/r_out.bin (mean, std, 7 quantiles per window and village) and prints elapsed seconds
# for the estimation loop alone (R start-up and reading excluded).
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
J <- as.integer(args[2])
T <- as.integer(args[3])
n <- as.integer(args[4])
suppressPackageStartupMessages(library(EpiEstim))
rd <- function(f) matrix(readBin(file.path(dir, f), "double", n = J * T), nrow = T)
loc <- rd("local.bin")
imp <- rd("imported.bin")
cfg <- make_config(list(mean_si = 6.3, std_si = 4.2, t_start = 2:(T - 6), t_end = 8:T))
out <- array(NA_real_, c(T - 7, 9, n))
elapsed <- system.time(for (j in seq_len(n)) {
  res <- suppressWarnings(estimate_R(data.frame(local = loc[, j], imported = imp[, j]),
                                     method = "parametric_si", config = cfg))
  out[, , j] <- as.matrix(res$R[, 3:11])
})[["elapsed"]]
writeBin(as.vector(out), file.path(dir, "r_out.bin"))
cat(sprintf("%.6f\n", elapsed))
