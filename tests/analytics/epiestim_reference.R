# Reference figures from R's EpiEstim for the agreement tests (tests/analytics).
# Usage: Rscript epiestim_reference.R DIR
# DIR/manifest.csv: id, dataset, method, mean_si, std_si, window, wt
#   dataset != "": take incidence (and si_distr or si) from EpiEstim's example data and
#     write them to DIR/<id>_incid.csv and DIR/<id>_si.csv for the Python side;
#   otherwise read DIR/<id>_incid.csv (local, imported) and, for non_parametric_si,
#     DIR/<id>_si.csv (one value per line).
# Writes DIR/<id>_R.csv (estimate_R), DIR/<id>_params.csv (SI mean, sd or NA),
# DIR/<id>_moments.csv (mean and sd of the discrete SI used) and, when wt = 1, DIR/<id>_WT.csv (wallinga_teunis).
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
suppressPackageStartupMessages(library(EpiEstim))
m <- read.csv(file.path(dir, "manifest.csv"), stringsAsFactors = FALSE,
              colClasses = c(dataset = "character"))
m$dataset[is.na(m$dataset)] <- ""
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
write_table <- function(df, path) {
  out <- as.data.frame(lapply(df, fmt))
  names(out) <- names(df)
  write.csv(out, path, row.names = FALSE, quote = FALSE)
}
for (i in seq_len(nrow(m))) {
  r <- m[i, ]
  si_distr <- NULL
  mean_si <- r$mean_si
  std_si <- r$std_si
  if (r$dataset != "") {
    e <- new.env()
    data(list = r$dataset, envir = e)
    d <- get(r$dataset, envir = e)
    incid <- d$incidence
    if (is.data.frame(incid) && all(c("local", "imported") %in% names(incid))) {
      flat <- data.frame(local = incid$local, imported = incid$imported)
      incid <- flat
    } else if (is.data.frame(incid)) {
      flat <- data.frame(local = incid$I, imported = 0)
      incid <- incid$I
    } else {
      flat <- data.frame(local = incid, imported = 0)
    }
    write.csv(flat, file.path(dir, paste0(r$id, "_incid.csv")), row.names = FALSE)
    if (r$method == "non_parametric_si") {
      si_distr <- d$si_distr
      writeLines(fmt(si_distr), file.path(dir, paste0(r$id, "_si.csv")))
    } else if (is.na(mean_si)) {
      mean_si <- d$si$mean_si
      std_si <- d$si$std_si
    }
  } else {
    incid <- read.csv(file.path(dir, paste0(r$id, "_incid.csv")))
    if (r$method == "non_parametric_si") {
      si_distr <- as.numeric(readLines(file.path(dir, paste0(r$id, "_si.csv"))))
    }
  }
  T <- if (is.data.frame(incid)) nrow(incid) else length(incid)
  t_start <- seq(2, T - r$window + 1)
  t_end <- t_start + r$window - 1
  cfg <- list(t_start = t_start, t_end = t_end)
  if (r$method == "non_parametric_si") {
    cfg$si_distr <- si_distr
  } else {
    cfg$mean_si <- mean_si
    cfg$std_si <- std_si
  }
  res <- suppressWarnings(suppressMessages(
    estimate_R(incid, method = r$method, config = make_config(cfg))
  ))
  write_table(res$R, file.path(dir, paste0(r$id, "_R.csv")))
  writeLines(fmt(c(mean_si, std_si)), file.path(dir, paste0(r$id, "_params.csv")))
  writeLines(fmt(c(res$SI.Moments$Mean, res$SI.Moments$Std)),
             file.path(dir, paste0(r$id, "_moments.csv")))
  if (r$wt == 1) {
    wt_cfg <- cfg
    wt_cfg$n_sim <- 0
    wt <- suppressWarnings(suppressMessages(
      wallinga_teunis(incid, method = r$method, config = wt_cfg)
    ))
    write_table(wt$R[, c("t_start", "t_end", "Mean(R)")], file.path(dir, paste0(r$id, "_WT.csv")))
  }
}
cat("done", nrow(m), "\n")
