// gui/views/latency_view.cpp: two charts from speedcenter::sample_distribution (histogram and sampled percentile
// curve, both computed in SQL); a bin's or percentile's tooltip adds the interpreter's mean with its interval,
// processes, run and revision.
#include "views/latency_view.h"

#include <QHBoxLayout>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

#include "speedcenter/dashboard_data.h"
#include "views/chart_tips.h"

namespace gui {

LatencyView::LatencyView(QWidget* parent) : View(parent) {
  auto* layout = new QHBoxLayout(this);
  view_ = add_chart_view(this);
  curve_view_ = add_chart_view(this);
  layout->addWidget(view_);
  layout->addWidget(curve_view_);
}

void LatencyView::refresh(const speedcenter::Database& db, const Filters& f) {
  QString bench = choose_benchmark(db, f, true);
  std::int64_t run = speedcenter::latest_run(db, f.machine.toStdString(), bench.toStdString());
  auto results = speedcenter::run_results(db, run, bench.toStdString());
  bool web = !results.empty() && results.front().kind == "web";
  QString what = web ? "latency" : "iteration time";
  QChart* hist = reset_chart(view_, QString("%1 distribution \u2014 %2 (run %3)").arg(what, bench).arg(run));
  QChart* curve = reset_chart(curve_view_, QString("%1 percentiles \u2014 %2").arg(what, bench));
  if (results.empty()) {
    show_empty(hist, "no results");
    show_empty(curve, "no results");
    return;
  }
  std::vector<std::pair<std::string, speedcenter::Distribution>> dists;
  double typical = 0;
  for (const auto& r : results) {
    auto d = speedcenter::sample_distribution(db, r.result_id, 0, 300);
    if (d.samples == 0) continue;
    if (typical == 0 && !d.percentiles.empty()) typical = d.percentiles[d.percentiles.size() / 2].second;
    dists.emplace_back(r.interpreter, std::move(d));
  }
  QString unit;
  double scale = time_scale(typical, unit);
  auto context = result_texts(speedcenter::comparison_data(db, run, "mean"), bench.toStdString());
  auto value_text = [&](double seconds) { return format_value(seconds, "s", typical); };
  auto* hx = new QValueAxis;
  hx->setTitleText(what + " (" + unit + ")");
  auto* hy = new QValueAxis;
  hy->setTitleText("share of samples (%)");
  auto* cx = new QValueAxis;
  cx->setTitleText("percentile");
  cx->setRange(0, 100);
  auto* cy = new QValueAxis;
  cy->setTitleText(what + " (" + unit + ")");
  hist->addAxis(hx, Qt::AlignBottom);
  hist->addAxis(hy, Qt::AlignLeft);
  curve->addAxis(cx, Qt::AlignBottom);
  curve->addAxis(cy, Qt::AlignLeft);
  double xlo = 1e300, xhi = -1e300, share_hi = 0, ylo = 1e300, yhi = -1e300;
  for (const auto& [interp, d] : dists) {
    auto* h = new QLineSeries;
    QString name = QString::fromStdString(interp);
    h->setName(name + " distribution");
    std::vector<QString> bin_tips, curve_tips;
    for (size_t i = 0; i < d.counts.size(); ++i) {
      double share = 100.0 * static_cast<double>(d.counts[i]) / static_cast<double>(d.samples);
      // Steps: flat across each bin.
      h->append(d.bin_low[i] * scale, share);
      h->append(d.bin_high[i] * scale, share);
      share_hi = std::max(share_hi, share);
      QString tip = QString("%1: %2 .. %3: %4 of %5 samples (%6%)\nmean %7")
                        .arg(name, value_text(d.bin_low[i]), value_text(d.bin_high[i]))
                        .arg(d.counts[i])
                        .arg(d.samples)
                        .arg(share, 0, 'f', 1)
                        .arg(context[interp]);
      bin_tips.insert(bin_tips.end(), {tip, tip});
    }
    show_tips_on_hover(h, std::move(bin_tips));
    xlo = std::min(xlo, d.bin_low.front() * scale);
    xhi = std::max(xhi, d.bin_high.back() * scale);
    hist->addSeries(h);
    h->attachAxis(hx);
    h->attachAxis(hy);
    auto* c = new QLineSeries;
    c->setName(QString::fromStdString(interp) + " percentiles");
    for (const auto& [pct, value] : d.percentiles) {
      // The top 1% would squash the body of the curve; it is drawn up to p99.5.
      if (pct > 99.5 && d.percentiles.size() > 20) break;
      c->append(pct, value * scale);
      curve_tips.push_back(QString("%1: p%2 = %3\nmean %4").arg(name).arg(pct, 0, 'g', 4).arg(value_text(value), context[interp]));
      ylo = std::min(ylo, value * scale);
      yhi = std::max(yhi, value * scale);
    }
    show_tips_on_hover(c, std::move(curve_tips));
    curve->addSeries(c);
    c->attachAxis(cx);
    c->attachAxis(cy);
  }
  if (dists.empty()) {
    show_empty(hist, "no samples");
    show_empty(curve, "no samples");
    return;
  }
  set_padded_range(hx, xlo, xhi, 0.02);
  hy->setRange(0, share_hi * 1.1);
  set_padded_range(cy, ylo, yhi, 0.05);
}

}  // namespace gui
