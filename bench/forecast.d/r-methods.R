# r-methods.R: R's forecast package on the same series and protocol as
# nc-forecast --backtest K -H H --summary: rolling origins over the last K
# periods, targets that were observed, the same measures (see
# lib/forecast_eval.c).  Args: series.tsv (key, period index, value) K H.
suppressMessages(library(forecast))
a <- commandArgs(TRUE)
d <- read.delim(a[1], header = FALSE, col.names = c("key", "t", "y"))
K <- as.integer(a[2]); H <- as.integer(a[3])
methods <- list(
  ets = function(y, h) { f <- forecast(ets(y), h = h, level = c(80, 95)); f },
  auto.arima = function(y, h) forecast(auto.arima(y), h = h, level = c(80, 95)),
  croston = function(y, h) croston(y, h = h),
  SBA = function(y, h) { f <- croston(y, h = h); f$mean <- f$mean * 0.95; f }
)
pin <- function(q, y, p) ifelse(y >= q, p * (y - q), (1 - p) * (q - y))
for (m in names(methods)) {
  t0 <- proc.time()[["elapsed"]]
  mase <- c(); rmsse <- c(); spl <- c(); sae <- 0; sact <- 0; c80 <- c(); c95 <- c()
  for (k in unique(d$key)) {
    y <- d$y[d$key == k]; n <- length(y); first <- max(n - K, 1)
    s1 <- if (first >= 2) mean(abs(diff(y[1:first]))) else NA
    s2 <- if (first >= 2) mean(diff(y[1:first])^2) else NA
    e <- c(); pl <- c()
    for (o in first:(n - 1)) {
      f <- tryCatch(methods[[m]](y[1:o], H), error = function(err) NULL)
      r <- min(H, n - o); act <- y[(o + 1):(o + r)]
      mu <- if (is.null(f)) rep(mean(y[1:o]), r) else pmax(as.numeric(f$mean)[1:r], 0)
      e <- c(e, mu - act); sact <- sact + sum(act)
      if (!is.null(f) && !is.null(f$upper)) {
        lo <- pmax(f$lower[1:r, , drop = FALSE], 0); hi <- pmax(f$upper[1:r, , drop = FALSE], 0)
        c80 <- c(c80, act >= lo[, 1] & act <= hi[, 1]); c95 <- c(c95, act >= lo[, 2] & act <= hi[, 2])
        sd <- (f$upper[1:r, 2] - f$mean[1:r]) / qnorm(0.975)
        pl <- c(pl, (pin(pmax(mu, 0), act, 0.5) + pin(pmax(mu + qnorm(0.9) * sd, 0), act, 0.9)) / 2)
      } else
        pl <- c(pl, (pin(mu, act, 0.5) + pin(mu, act, 0.9)) / 2)
    }
    sae <- sae + sum(abs(e))
    if (!is.na(s1) && s1 > 0) {
      mase <- c(mase, mean(abs(e)) / s1); rmsse <- c(rmsse, sqrt(mean(e^2) / s2))
      spl <- c(spl, mean(pl) / s1)
    }
  }
  el <- proc.time()[["elapsed"]] - t0
  cat(sprintf("%-14s %9.3f %9.3f %9.3f %9.3f %9.4f %8s %8s %9.2f\n", m, mean(mase), median(mase),
    mean(rmsse), sae / sact, mean(spl),
    if (length(c80)) sprintf("%.3f", mean(c80)) else "-",
    if (length(c95)) sprintf("%.3f", mean(c95)) else "-", el))
}
