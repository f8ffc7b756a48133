# bench/forecast-methods.R: R's methods on the same series and protocol as
# nc-forecast --backtest K -H H --summary --level 80,95 --quantiles 0.5,0.9
# (cmd/nc-forecast.c, lib/forecast_eval.c): origins o = n-K .. n-1, each
# forecasting min(H, n-o) observed periods from y[1..o]; per series MASE and
# RMSSE scaled by the mean absolute / squared first difference of y[1..n-K];
# WAPE and coverage pooled over all forecasts; scaled pinball = mean over
# q = 0.5, 0.9 of the mean pinball loss / the MASE scale.  Forecasts and
# bounds are floored at 0, as nc-forecast's are.
#
#   Rscript bench/forecast-methods.R series.tsv K H PERIOD [METHOD...]
#
# series.tsv: key, period index, value.  PERIOD week or month: the ts
# frequency is 12 for month and 1 for week (R's ets refuses frequencies
# above 24; nc-forecast likewise fits ets and arima non-seasonally there).
# Prints one tab-separated line per method: name, mean MASE, median MASE,
# mean RMSSE, WAPE, mean scaled pinball, coverage 80, coverage 95 ("-" when
# the method gives no interval), elapsed seconds, failed fits (which fall
# back to the mean of the history).  With NC_BENCH_SERIES=FILE, also appends
# one line per method and series to FILE: method, key, MASE, RMSSE, scaled
# pinball, coverage 95 (NA without an interval).
#
# Methods: ets, auto.arima (forecast package); croston (forecast::croston,
# alpha 0.1 for both parts, its default); SBA and TSB written here from
# their papers with the smoothing constants optimised as Kourentzes (2014)
# and his tsintermittent package do (see sba() and tsb()); prophet when
# the package loads.  The 0.9 quantile is the upper bound of the 80%
# interval; methods without an interval use the point forecast as every
# quantile.
suppressMessages(library(forecast))
Sys.setenv(TZ = "UTC")
a <- commandArgs(TRUE)
d <- read.delim(a[1], header = FALSE, col.names = c("key", "t", "y"),
  colClasses = c("character", "integer", "numeric"))
K <- as.integer(a[2]); H <- as.integer(a[3]); period <- a[4]
freq <- if (period == "month") 12 else 1
only <- a[-(1:4)]

# Kourentzes (2014), "On intermittent demand model optimisation and
# selection", IJPE 156: the Mean Absolute Rate cost, the in-sample demand
# rate against the cumulative mean demand, that mean held at its value at
# 30% of the sample over the first 30%.
mar <- function(y, fit) {
  n <- length(y); r <- cumsum(y) / seq_len(n); c0 <- ceiling(0.3 * n)
  r[1:c0] <- r[c0]
  sum(abs(fit - r), na.rm = TRUE)
}
# Nelder-Mead from (0.05, 0.05) over two constants in [0, 1], as
# tsintermittent optimises Croston's two constants (initial values fixed).
opt2 <- function(cost) {
  f <- function(w) if (any(w < 0 | w > 1)) 1e100 else cost(w)
  optim(c(0.05, 0.05), f, method = "Nelder-Mead", control = list(maxit = 2000))$par
}
# Exponential smoothing of x from l0 (level after each x).
ses <- function(x, w, l0) as.numeric(stats::filter(w * x, 1 - w, "recursive", init = l0))

# SBA: Syntetos and Boylan (2005), "The accuracy of intermittent demand
# estimates", IJF 21(2): Croston's sizes z and intervals x smoothed
# separately (constants a and b), the rate z/x times (1 - b/2).  Initial z
# the first demand, x the first interval (tsintermittent's "naive").
sba_path <- function(y, w) {
  nz <- which(y > 0); z <- y[nz]; x <- diff(c(0, nz)); k <- length(nz)
  zs <- c(z[1], ses(z[-1], w[1], z[1])); xs <- c(x[1], ses(x[-1], w[2], x[1]))
  rate <- (1 - w[2] / 2) * zs / xs
  fit <- rep(NA_real_, length(y)); seen <- cumsum(y > 0)
  after <- seq_along(y) > nz[1]
  fit[after] <- rate[seen[which(after) - 1]]
  list(fit = fit, f = rate[k])
}
sba <- function(y, h) {
  if (sum(y > 0) < 2) return(list(mean = rep(if (any(y > 0)) max(y) / which.max(y > 0) else 0, h)))
  w <- opt2(function(w) mar(y, sba_path(y, w)$fit))
  list(mean = rep(sba_path(y, w)$f, h))
}
# TSB: Teunter, Syntetos and Babai (2011), "Intermittent demand: linking
# forecasting to inventory obsolescence", EJOR 214(3): the probability of a
# demand p smoothed every period (constant b) towards 1 or 0, the size z
# only when a demand occurs (constant a); forecast p z.  Initial z the mean
# size, p the share of periods with a demand (tsintermittent's "mean").
tsb_path <- function(y, w) {
  nz <- which(y > 0); z0 <- mean(y[nz]); p0 <- length(nz) / length(y)
  zs <- ses(y[nz], w[1], z0); ps <- ses(as.numeric(y > 0), w[2], p0)
  seen <- cumsum(y > 0); zt <- c(z0, zs)[seen + 1]
  list(fit = c(p0 * z0, (ps * zt)[-length(y)]), f = ps[length(y)] * zt[length(y)])
}
tsb <- function(y, h) {
  if (!any(y > 0)) return(list(mean = rep(0, h)))
  w <- opt2(function(w) mar(y, tsb_path(y, w)$fit))
  list(mean = rep(tsb_path(y, w)$f, h))
}

methods <- list(
  ets = function(y, h) forecast(ets(ts(y, frequency = freq)), h = h, level = c(80, 95)),
  auto.arima = function(y, h) forecast(auto.arima(ts(y, frequency = freq)), h = h, level = c(80, 95)),
  croston = function(y, h) croston(ts(y, frequency = freq), h = h),
  SBA = sba,
  TSB = tsb
)
# prophet with its defaults (seasonalities switched on by the data's span
# and spacing), 80% and 95% bounds and the 0.5/0.9 quantiles from 200
# predictive samples; the point forecast is its yhat.
if (suppressWarnings(suppressMessages(requireNamespace("prophet", quietly = TRUE)))) {
  suppressMessages(library(prophet))
  methods$prophet <- function(y, h) {
    by <- if (period == "month") "month" else "week"
    ds <- seq(as.Date("2019-01-01"), by = by, length.out = length(y) + h)
    m <- suppressMessages(prophet(data.frame(ds = ds[seq_along(y)], y = y),
      uncertainty.samples = 200))
    fu <- data.frame(ds = ds[-seq_along(y)])
    s <- predictive_samples(m, fu)$yhat
    q <- t(apply(s, 1, quantile, c(0.1, 0.9, 0.025, 0.975)))
    m$uncertainty.samples <- 0
    list(mean = predict(m, fu)$yhat, lower = q[, c(1, 3)], upper = q[, c(2, 4)],
      median = apply(s, 1, median))
  }
} else
  cat("# prophet: not run (R package prophet not installed)\n")
if (length(only)) methods <- methods[names(methods) %in% only]

pin <- function(q, y, p) ifelse(y >= q, p * (y - q), (1 - p) * (q - y))
keys <- unique(d$key)
series <- lapply(keys, function(k) d$y[d$key == k])
per <- Sys.getenv("NC_BENCH_SERIES")
for (m in names(methods)) {
  t0 <- proc.time()[["elapsed"]]
  mase <- c(); rmsse <- c(); spl <- c(); sae <- 0; sact <- 0; c80 <- c(); c95 <- c(); fails <- 0
  rows <- c()
  for (i in seq_along(series)) {
    y <- series[[i]]; n95 <- length(c95)
    n <- length(y); first <- max(n - K, 1)
    s1 <- if (first >= 2) mean(abs(diff(y[1:first]))) else NA
    s2 <- if (first >= 2) mean(diff(y[1:first])^2) else NA
    e <- c(); pl <- c()
    for (o in first:(n - 1)) {
      f <- tryCatch(suppressWarnings(methods[[m]](y[1:o], H)), error = function(err) NULL)
      r <- min(H, n - o); act <- y[(o + 1):(o + r)]
      if (is.null(f) || any(!is.finite(as.numeric(f$mean)[1:r]))) {
        fails <- fails + 1; f <- NULL
      }
      mu <- if (is.null(f)) rep(mean(y[1:o]), r) else pmax(as.numeric(f$mean)[1:r], 0)
      e <- c(e, mu - act); sact <- sact + sum(act)
      if (!is.null(f) && !is.null(f$upper)) {
        lo <- pmax(matrix(f$lower, ncol = 2)[1:r, , drop = FALSE], 0)
        hi <- pmax(matrix(f$upper, ncol = 2)[1:r, , drop = FALSE], 0)
        c80 <- c(c80, act >= lo[, 1] & act <= hi[, 1]); c95 <- c(c95, act >= lo[, 2] & act <= hi[, 2])
        med <- if (is.null(f$median)) mu else pmax(f$median[1:r], 0)
        pl <- c(pl, (pin(med, act, 0.5) + pin(hi[, 1], act, 0.9)) / 2)
      } else {
        if (is.null(f)) { c80 <- c(c80, rep(NA, r)); c95 <- c(c95, rep(NA, r)) }
        pl <- c(pl, (pin(mu, act, 0.5) + pin(mu, act, 0.9)) / 2)
      }
    }
    sae <- sae + sum(abs(e))
    if (!is.na(s1) && s1 > 0 && s2 > 0) {
      mase <- c(mase, mean(abs(e)) / s1); rmsse <- c(rmsse, sqrt(mean(e^2) / s2))
      spl <- c(spl, mean(pl) / s1)
      v95 <- if (length(c95) > n95) mean(c95[(n95 + 1):length(c95)], na.rm = TRUE) else NA
      rows <- c(rows, sprintf("%s\t%s\t%.6f\t%.6f\t%.6f\t%s", m, keys[i], mean(abs(e)) / s1,
        sqrt(mean(e^2) / s2), mean(pl) / s1, format(v95)))
    }
  }
  el <- proc.time()[["elapsed"]] - t0
  if (nzchar(per)) cat(paste0(rows, "\n"), file = per, sep = "", append = TRUE)
  cov <- function(v) if (length(v) && !all(is.na(v))) sprintf("%.3f", mean(v, na.rm = TRUE)) else "-"
  cat(sprintf("%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%s\t%.2f\t%d\n", m, mean(mase), median(mase),
    mean(rmsse), sae / sact, mean(spl), cov(c80), cov(c95), el, fails))
}
