"""Warehouse management: stock keeping units, locations, a stock ledger, purchase and sales orders, allocation,
pricing rules, replenishment planning and reports.

This module is the fixed input of the pylint macrobenchmark (macrobenchmarks/pylint). It is ordinary application
code of the kind pylint is run on every day, with the usual mix of clean code and things a linter flags. Keep it
unchanged: the benchmark checks pylint's findings against the counts recorded in bench_pylint.py.
"""
import collections
import csv
import datetime
import decimal
import enum
import functools
import io
import itertools
import json
import logging
import math
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

LOG = logging.getLogger(__name__)

CENTS = decimal.Decimal("0.01")
DEFAULT_CURRENCY = "EUR"
SKU_PATTERN = re.compile(r"^[A-Z]{3}-\d{4}(-[A-Z0-9]{1,4})?$")
LOCATION_PATTERN = re.compile(r"^(?P<zone>[A-Z])(?P<aisle>\d{2})-(?P<rack>\d{2})-(?P<level>\d)$")
MAX_PALLET_WEIGHT_KG = 1000
VAT_RATES = {"standard": decimal.Decimal("0.20"), "reduced": decimal.Decimal("0.055"), "zero": decimal.Decimal("0")}


class WarehouseError(Exception):
    """Base class of every error this module raises on purpose."""


class UnknownSku(WarehouseError):
    def __init__(self, sku):
        super().__init__("unknown SKU %r" % sku)
        self.sku = sku


class InsufficientStock(WarehouseError):
    def __init__(self, sku, wanted, available):
        super().__init__("SKU %s: %d wanted, %d available" % (sku, wanted, available))
        self.sku = sku
        self.wanted = wanted
        self.available = available


class InvalidLocation(WarehouseError):
    pass


class OrderState(enum.Enum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    ALLOCATED = "allocated"
    PICKED = "picked"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


TRANSITIONS = {
    OrderState.DRAFT: {OrderState.CONFIRMED, OrderState.CANCELLED},
    OrderState.CONFIRMED: {OrderState.ALLOCATED, OrderState.CANCELLED},
    OrderState.ALLOCATED: {OrderState.PICKED, OrderState.CONFIRMED, OrderState.CANCELLED},
    OrderState.PICKED: {OrderState.SHIPPED},
    OrderState.SHIPPED: set(),
    OrderState.CANCELLED: set(),
}


class MovementKind(enum.Enum):
    RECEIPT = "receipt"
    SHIPMENT = "shipment"
    TRANSFER = "transfer"
    ADJUSTMENT = "adjustment"
    RETURN = "return"


def money(value):
    """A Decimal rounded to cents from an int, float, str or Decimal."""
    if isinstance(value, float):
        value = repr(value)
    return decimal.Decimal(value).quantize(CENTS, rounding=decimal.ROUND_HALF_EVEN)


def parse_location(code):
    match = LOCATION_PATTERN.match(code)
    if not match:
        raise InvalidLocation("bad location code %r" % code)
    return match.group("zone"), int(match.group("aisle")), int(match.group("rack")), int(match.group("level"))


def location_distance(a, b):
    """Walking distance in metres between two locations, aisles being 3 m apart and racks 1.2 m wide."""
    zone_a, aisle_a, rack_a, _ = parse_location(a)
    zone_b, aisle_b, rack_b, _ = parse_location(b)
    zone_penalty = 0 if zone_a == zone_b else 40
    if aisle_a == aisle_b:
        return zone_penalty + abs(rack_a - rack_b) * 1.2
    # Leave the aisle by the nearer end, walk across, and enter the other aisle.
    to_front = rack_a * 1.2 + rack_b * 1.2
    to_back = (20 - rack_a) * 1.2 + (20 - rack_b) * 1.2
    return zone_penalty + abs(aisle_a - aisle_b) * 3.0 + min(to_front, to_back)


@dataclass(frozen=True)
class Sku:
    code: str
    name: str
    unit_weight_kg: float
    unit_volume_l: float
    vat_class: str = "standard"
    perishable: bool = False
    shelf_life_days: Optional[int] = None
    tags: Tuple[str, ...] = ()

    def __post_init__(self):
        if not SKU_PATTERN.match(self.code):
            raise WarehouseError("bad SKU code %r" % self.code)
        if self.vat_class not in VAT_RATES:
            raise WarehouseError("unknown VAT class %r" % self.vat_class)
        if self.perishable and not self.shelf_life_days:
            raise WarehouseError("perishable SKU %s needs a shelf life" % self.code)

    @property
    def family(self):
        return self.code.split("-")[0]


@dataclass
class Lot:
    sku: str
    lot_number: str
    quantity: int
    location: str
    received: datetime.date
    expires: Optional[datetime.date] = None

    def is_expired(self, today):
        return self.expires is not None and self.expires < today

    def days_left(self, today):
        if self.expires is None:
            return None
        return (self.expires - today).days


@dataclass
class Movement:
    kind: MovementKind
    sku: str
    quantity: int
    location: str
    when: datetime.datetime
    reference: str = ""
    lot_number: str = ""

    def signed_quantity(self):
        if self.kind in (MovementKind.SHIPMENT,):
            return -self.quantity
        return self.quantity


class Catalogue:
    """The SKUs the warehouse knows, with lookups by code, family and tag."""

    def __init__(self, skus=()):
        self._by_code = {}
        self._by_family = collections.defaultdict(list)
        self._by_tag = collections.defaultdict(set)
        for sku in skus:
            self.add(sku)

    def add(self, sku):
        if sku.code in self._by_code:
            raise WarehouseError("duplicate SKU %s" % sku.code)
        self._by_code[sku.code] = sku
        self._by_family[sku.family].append(sku)
        for tag in sku.tags:
            self._by_tag[tag].add(sku.code)

    def get(self, code):
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownSku(code)

    def __contains__(self, code):
        return code in self._by_code

    def __iter__(self):
        return iter(sorted(self._by_code.values(), key=lambda s: s.code))

    def __len__(self):
        return len(self._by_code)

    def family(self, name):
        return list(self._by_family.get(name, []))

    def tagged(self, tag):
        return [self._by_code[c] for c in sorted(self._by_tag.get(tag, ()))]

    @classmethod
    def from_csv(cls, text):
        catalogue = cls()
        for row in csv.DictReader(io.StringIO(text)):
            tags = tuple(t.strip() for t in row.get("tags", "").split(";") if t.strip())
            shelf = row.get("shelf_life_days") or None
            catalogue.add(Sku(code=row["code"], name=row["name"], unit_weight_kg=float(row["weight_kg"]),
                              unit_volume_l=float(row["volume_l"]), vat_class=row.get("vat", "standard"),
                              perishable=row.get("perishable", "no") == "yes",
                              shelf_life_days=int(shelf) if shelf else None, tags=tags))
        return catalogue


class Ledger:
    """Every stock movement, and the stock per SKU and location derived from them."""

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.movements = []
        self._stock = collections.Counter()
        self._lots = {}

    def record(self, movement):
        if movement.sku not in self.catalogue:
            raise UnknownSku(movement.sku)
        parse_location(movement.location)
        key = (movement.sku, movement.location)
        new_level = self._stock[key] + movement.signed_quantity()
        if new_level < 0:
            raise InsufficientStock(movement.sku, movement.quantity, self._stock[key])
        self._stock[key] = new_level
        self.movements.append(movement)
        LOG.debug("recorded %s of %d %s at %s", movement.kind.value, movement.quantity, movement.sku,
                  movement.location)

    def receive(self, sku, quantity, location, when, lot_number="", expires=None, reference=""):
        self.record(Movement(MovementKind.RECEIPT, sku, quantity, location, when, reference, lot_number))
        if lot_number:
            lot = self._lots.get(lot_number)
            if lot is None:
                self._lots[lot_number] = Lot(sku, lot_number, quantity, location, when.date(), expires)
            else:
                lot.quantity += quantity

    def ship(self, sku, quantity, location, when, reference=""):
        self.record(Movement(MovementKind.SHIPMENT, sku, quantity, location, when, reference))
        remaining = quantity
        for lot in self.lots_for(sku, location, when.date()):
            take = min(lot.quantity, remaining)
            lot.quantity -= take
            remaining -= take
            if remaining == 0:
                break

    def transfer(self, sku, quantity, source, target, when, reference=""):
        self.ship(sku, quantity, source, when, reference)
        self.record(Movement(MovementKind.TRANSFER, sku, quantity, target, when, reference))

    def adjust(self, sku, location, counted, when, reason=""):
        current = self.level(sku, location)
        delta = counted - current
        if delta == 0:
            return 0
        if delta > 0:
            self.record(Movement(MovementKind.ADJUSTMENT, sku, delta, location, when, reason))
        else:
            self.record(Movement(MovementKind.SHIPMENT, sku, -delta, location, when, "count: " + reason))
        return delta

    def level(self, sku, location=None):
        if location is not None:
            return self._stock[(sku, location)]
        return sum(q for (s, _), q in self._stock.items() if s == sku)

    def locations(self, sku):
        return sorted(loc for (s, loc), q in self._stock.items() if s == sku and q > 0)

    def lots_for(self, sku, location, today):
        """Lots of a SKU at a location, first expiring first out (then first received)."""
        lots = [lot for lot in self._lots.values() if lot.sku == sku and lot.location == location and lot.quantity]
        far_future = today + datetime.timedelta(days=36500)
        return sorted(lots, key=lambda lot: (lot.expires or far_future, lot.received, lot.lot_number))

    def expiring(self, today, within_days=7):
        horizon = today + datetime.timedelta(days=within_days)
        return [lot for lot in self._lots.values() if lot.expires and lot.quantity and lot.expires <= horizon]

    def history(self, sku, since=None):
        for movement in self.movements:
            if movement.sku != sku:
                continue
            if since is not None and movement.when < since:
                continue
            yield movement

    def stock_table(self):
        rows = []
        for (sku, location), quantity in sorted(self._stock.items()):
            if quantity:
                rows.append({"sku": sku, "location": location, "quantity": quantity})
        return rows

    def total_weight(self):
        total = 0.0
        for (sku, _), quantity in self._stock.items():
            total += self.catalogue.get(sku).unit_weight_kg * quantity
        return total


@dataclass
class OrderLine:
    sku: str
    quantity: int
    unit_price: decimal.Decimal
    discount: decimal.Decimal = decimal.Decimal("0")
    allocated: List[Tuple[str, int]] = field(default_factory=list)

    @property
    def net(self):
        return money(self.unit_price * self.quantity * (1 - self.discount))

    def allocated_quantity(self):
        return sum(q for _, q in self.allocated)

    def is_fully_allocated(self):
        return self.allocated_quantity() == self.quantity


@dataclass
class Order:
    number: str
    customer: str
    created: datetime.datetime
    lines: List[OrderLine] = field(default_factory=list)
    state: OrderState = OrderState.DRAFT
    priority: int = 5
    ship_by: Optional[datetime.date] = None
    notes: List[str] = field(default_factory=list)

    def add_line(self, sku, quantity, unit_price, discount="0"):
        if self.state is not OrderState.DRAFT:
            raise WarehouseError("order %s is %s; lines can only be added to drafts" % (self.number, self.state.value))
        if quantity <= 0:
            raise WarehouseError("quantity must be positive")
        for line in self.lines:
            if line.sku == sku and line.unit_price == money(unit_price):
                line.quantity += quantity
                return line
        line = OrderLine(sku, quantity, money(unit_price), decimal.Decimal(discount))
        self.lines.append(line)
        return line

    def move_to(self, state):
        if state not in TRANSITIONS[self.state]:
            raise WarehouseError("order %s cannot go from %s to %s" % (self.number, self.state.value, state.value))
        LOG.info("order %s: %s -> %s", self.number, self.state.value, state.value)
        self.state = state

    def net_total(self):
        return sum((line.net for line in self.lines), decimal.Decimal("0.00"))

    def vat(self, catalogue):
        total = decimal.Decimal("0")
        for line in self.lines:
            rate = VAT_RATES[catalogue.get(line.sku).vat_class]
            total += line.net * rate
        return money(total)

    def gross_total(self, catalogue):
        return self.net_total() + self.vat(catalogue)

    def weight(self, catalogue):
        return sum(catalogue.get(l.sku).unit_weight_kg * l.quantity for l in self.lines)

    def is_late(self, today):
        return self.ship_by is not None and today > self.ship_by and self.state is not OrderState.SHIPPED


class PricingRule:
    """A price adjustment; subclasses decide when it applies and by how much."""

    name = "rule"

    def applies(self, order, line, catalogue):
        raise NotImplementedError

    def discount(self, order, line, catalogue):
        raise NotImplementedError


class VolumeDiscount(PricingRule):
    name = "volume"

    def __init__(self, thresholds):
        self.thresholds = sorted(thresholds.items())

    def applies(self, order, line, catalogue):
        return line.quantity >= self.thresholds[0][0]

    def discount(self, order, line, catalogue):
        best = decimal.Decimal("0")
        for minimum, rate in self.thresholds:
            if line.quantity >= minimum:
                best = decimal.Decimal(str(rate))
        return best


class FamilyPromotion(PricingRule):
    name = "promotion"

    def __init__(self, family, rate, starts, ends):
        self.family = family
        self.rate = decimal.Decimal(str(rate))
        self.starts = starts
        self.ends = ends

    def applies(self, order, line, catalogue):
        day = order.created.date()
        return catalogue.get(line.sku).family == self.family and self.starts <= day <= self.ends

    def discount(self, order, line, catalogue):
        return self.rate


class LoyalCustomer(PricingRule):
    name = "loyalty"

    def __init__(self, customers, rate=0.03):
        self.customers = set(customers)
        self.rate = decimal.Decimal(str(rate))

    def applies(self, order, line, catalogue):
        return order.customer in self.customers

    def discount(self, order, line, catalogue):
        return self.rate


class PriceBook:
    """Applies the best single rule per line, capped, and records why in the order's notes."""

    def __init__(self, rules, cap=0.25):
        self.rules = list(rules)
        self.cap = decimal.Decimal(str(cap))

    def price(self, order, catalogue):
        for line in order.lines:
            candidates = [(rule.discount(order, line, catalogue), rule.name) for rule in self.rules
                          if rule.applies(order, line, catalogue)]
            if not candidates:
                line.discount = decimal.Decimal("0")
                continue
            rate, name = max(candidates)
            line.discount = min(rate, self.cap)
            order.notes.append("%s: %s discount %s" % (line.sku, name, line.discount))
        return order.net_total()


class Allocator:
    """Reserves stock for confirmed orders: urgent orders first, nearest locations to the dock first."""

    def __init__(self, ledger, dock="A00-00-0"):
        self.ledger = ledger
        self.dock = dock
        self.reserved = collections.Counter()

    def available(self, sku, location):
        return self.ledger.level(sku, location) - self.reserved[(sku, location)]

    def allocate(self, orders, today):
        shortages = []
        ordered = sorted(orders, key=lambda o: (o.ship_by or datetime.date.max, o.priority, o.created))
        for order in ordered:
            if order.state is not OrderState.CONFIRMED:
                continue
            if self._allocate_order(order):
                order.move_to(OrderState.ALLOCATED)
            else:
                shortages.append(order.number)
                if order.is_late(today):
                    LOG.warning("order %s is late and short", order.number)
        return shortages

    def _allocate_order(self, order):
        complete = True
        for line in order.lines:
            missing = line.quantity - line.allocated_quantity()
            locations = sorted(self.ledger.locations(line.sku), key=lambda loc: location_distance(self.dock, loc))
            for location in locations:
                if missing == 0:
                    break
                take = min(missing, self.available(line.sku, location))
                if take <= 0:
                    continue
                self.reserved[(line.sku, location)] += take
                line.allocated.append((location, take))
                missing -= take
            if missing:
                complete = False
        return complete

    def release(self, order):
        for line in order.lines:
            for location, quantity in line.allocated:
                self.reserved[(line.sku, location)] -= quantity
            line.allocated = []


def pick_route(stops, start="A00-00-0"):
    """Orders pick locations by a nearest-neighbour tour from the dock, then improves it with 2-opt."""
    remaining = list(dict.fromkeys(stops))
    route = []
    here = start
    while remaining:
        nearest = min(remaining, key=lambda loc: (location_distance(here, loc), loc))
        route.append(nearest)
        remaining.remove(nearest)
        here = nearest
    return two_opt([start] + route + [start])[1:-1]


def route_length(route):
    return sum(location_distance(a, b) for a, b in zip(route, route[1:]))


def two_opt(route):
    best = list(route)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(best) - 2):
            for j in range(i + 1, len(best) - 1):
                candidate = best[:i] + best[i:j + 1][::-1] + best[j + 1:]
                if route_length(candidate) + 1e-9 < route_length(best):
                    best = candidate
                    improved = True
    return best


@dataclass
class PickList:
    order_number: str
    stops: List[Tuple[str, str, int]]

    def total_quantity(self):
        return sum(q for _, _, q in self.stops)

    def render(self):
        lines = ["Pick list for order %s" % self.order_number]
        for n, (location, sku, quantity) in enumerate(self.stops, 1):
            lines.append("%3d. %-10s %-14s x%d" % (n, location, sku, quantity))
        lines.append("Total items: %d" % self.total_quantity())
        return "\n".join(lines)


def make_pick_list(order):
    by_location = collections.defaultdict(list)
    for line in order.lines:
        for location, quantity in line.allocated:
            by_location[location].append((line.sku, quantity))
    route = pick_route(by_location)
    stops = [(loc, sku, qty) for loc in route for sku, qty in sorted(by_location[loc])]
    return PickList(order.number, stops)


def confirm_picks(ledger, order, when):
    if order.state is not OrderState.ALLOCATED:
        raise WarehouseError("order %s is not allocated" % order.number)
    for line in order.lines:
        for location, quantity in line.allocated:
            ledger.ship(line.sku, quantity, location, when, reference=order.number)
    order.move_to(OrderState.PICKED)


class DemandForecast:
    """Exponential smoothing with a weekly season over daily shipped quantities."""

    def __init__(self, alpha=0.3, gamma=0.2, season=7):
        self.alpha = alpha
        self.gamma = gamma
        self.season = season

    def daily_series(self, ledger, sku, start, days):
        series = [0] * days
        for movement in ledger.history(sku):
            if movement.kind is not MovementKind.SHIPMENT:
                continue
            offset = (movement.when.date() - start).days
            if 0 <= offset < days:
                series[offset] += movement.quantity
        return series

    def fit(self, series):
        if len(series) < self.season * 2:
            level = sum(series) / max(1, len(series))
            return level, [0.0] * self.season
        level = sum(series[:self.season]) / self.season
        seasonal = [x - level for x in series[:self.season]]
        for t, value in enumerate(series[self.season:], self.season):
            s = seasonal[t % self.season]
            previous_level = level
            level = self.alpha * (value - s) + (1 - self.alpha) * previous_level
            seasonal[t % self.season] = self.gamma * (value - level) + (1 - self.gamma) * s
        return level, seasonal

    def forecast(self, series, horizon):
        level, seasonal = self.fit(series)
        start = len(series)
        return [max(0.0, level + seasonal[(start + h) % self.season]) for h in range(horizon)]


@dataclass
class ReplenishmentProposal:
    sku: str
    on_hand: int
    forecast: float
    safety_stock: int
    order_quantity: int

    def as_row(self):
        return [self.sku, self.on_hand, round(self.forecast, 1), self.safety_stock, self.order_quantity]


class ReplenishmentPlanner:
    def __init__(self, ledger, forecaster, lead_time_days=5, service_z=1.65, pack_size=None):
        self.ledger = ledger
        self.forecaster = forecaster
        self.lead_time_days = lead_time_days
        self.service_z = service_z
        self.pack_size = pack_size or {}

    def safety_stock(self, series):
        if len(series) < 2:
            return 0
        mean = sum(series) / len(series)
        variance = sum((x - mean) ** 2 for x in series) / (len(series) - 1)
        return int(math.ceil(self.service_z * math.sqrt(variance * self.lead_time_days)))

    def propose(self, sku, start, days):
        series = self.forecaster.daily_series(self.ledger, sku, start, days)
        demand = sum(self.forecaster.forecast(series, self.lead_time_days))
        safety = self.safety_stock(series)
        on_hand = self.ledger.level(sku)
        shortfall = demand + safety - on_hand
        quantity = 0
        if shortfall > 0:
            pack = self.pack_size.get(sku, 1)
            quantity = int(math.ceil(shortfall / pack)) * pack
        return ReplenishmentProposal(sku, on_hand, demand, safety, quantity)

    def plan(self, skus, start, days):
        proposals = [self.propose(sku, start, days) for sku in skus]
        return [p for p in proposals if p.order_quantity > 0]


def abc_classes(ledger, catalogue, prices):
    """ABC analysis: A = SKUs making the first 80% of shipped value, B = the next 15%, C = the rest."""
    value = collections.Counter()
    for movement in ledger.movements:
        if movement.kind is MovementKind.SHIPMENT:
            value[movement.sku] += movement.quantity * prices.get(movement.sku, 0)
    total = sum(value.values()) or 1
    classes = {}
    running = 0
    for sku, amount in value.most_common():
        running += amount
        share = running / total
        classes[sku] = "A" if share <= 0.8 else "B" if share <= 0.95 else "C"
    for sku in catalogue:
        classes.setdefault(sku.code, "C")
    return classes


def turnover(ledger, sku, days):
    shipped = sum(m.quantity for m in ledger.history(sku) if m.kind is MovementKind.SHIPMENT)
    average_stock = max(1, ledger.level(sku))
    return shipped / average_stock * (365 / max(1, days))


class Report:
    """A titled table that renders as text, CSV or JSON."""

    def __init__(self, title, columns):
        self.title = title
        self.columns = list(columns)
        self.rows = []

    def add(self, *values):
        if len(values) != len(self.columns):
            raise ValueError("expected %d values, got %d" % (len(self.columns), len(values)))
        self.rows.append(list(values))

    def widths(self):
        widths = [len(c) for c in self.columns]
        for row in self.rows:
            for i, value in enumerate(row):
                widths[i] = max(widths[i], len(str(value)))
        return widths

    def as_text(self):
        widths = self.widths()
        out = [self.title, "=" * len(self.title)]
        out.append("  ".join(c.ljust(w) for c, w in zip(self.columns, widths)))
        out.append("  ".join("-" * w for w in widths))
        for row in self.rows:
            cells = []
            for value, width in zip(row, widths):
                text = str(value)
                cells.append(text.rjust(width) if isinstance(value, (int, float, decimal.Decimal)) else text.ljust(width))
            out.append("  ".join(cells))
        return "\n".join(out)

    def as_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def as_json(self):
        def encode(value):
            if isinstance(value, decimal.Decimal):
                return str(value)
            if isinstance(value, (datetime.date, datetime.datetime)):
                return value.isoformat()
            raise TypeError(type(value))
        return json.dumps({"title": self.title, "rows": [dict(zip(self.columns, r)) for r in self.rows]},
                          default=encode, indent=2)


def stock_report(ledger):
    report = Report("Stock on hand", ["SKU", "Location", "Quantity", "Weight (kg)"])
    for row in ledger.stock_table():
        sku = ledger.catalogue.get(row["sku"])
        report.add(row["sku"], row["location"], row["quantity"], round(sku.unit_weight_kg * row["quantity"], 2))
    return report


def order_report(orders, catalogue):
    report = Report("Orders", ["Number", "Customer", "State", "Lines", "Net", "Gross"])
    for order in sorted(orders, key=lambda o: o.number):
        report.add(order.number, order.customer, order.state.value, len(order.lines), order.net_total(),
                   order.gross_total(catalogue))
    return report


def expiry_report(ledger, today, within_days=14):
    report = Report("Lots expiring within %d days" % within_days, ["Lot", "SKU", "Location", "Quantity", "Days"])
    for lot in sorted(ledger.expiring(today, within_days), key=lambda l: (l.expires, l.lot_number)):
        report.add(lot.lot_number, lot.sku, lot.location, lot.quantity, lot.days_left(today))
    return report


def replenishment_report(proposals):
    report = Report("Replenishment proposals", ["SKU", "On hand", "Forecast", "Safety", "Order"])
    for proposal in proposals:
        report.add(*proposal.as_row())
    return report


def chunked(iterable, size):
    iterator = iter(iterable)
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield chunk


def pallets(order, catalogue, max_weight=MAX_PALLET_WEIGHT_KG):
    """Packs an order's items onto pallets by weight, heaviest first (first-fit decreasing)."""
    items = []
    for line in order.lines:
        sku = catalogue.get(line.sku)
        items.extend([(sku.unit_weight_kg, sku.code)] * line.quantity)
    items.sort(reverse=True)
    loads = []
    for weight, code in items:
        if weight > max_weight:
            raise WarehouseError("a single %s weighs more than a pallet may carry" % code)
        for pallet in loads:
            if pallet["weight"] + weight <= max_weight:
                pallet["weight"] += weight
                pallet["items"][code] += 1
                break
        else:
            loads.append({"weight": weight, "items": collections.Counter({code: 1})})
    return loads


def parse_order_csv(text, catalogue, created):
    """Orders from CSV rows (number, customer, sku, quantity, unit_price); unknown SKUs are reported."""
    orders = {}
    problems = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), 2):
        try:
            sku = catalogue.get(row["sku"].strip())
            quantity = int(row["quantity"])
            price = money(row["unit_price"])
        except (KeyError, ValueError, decimal.InvalidOperation, UnknownSku) as error:
            problems.append("line %d: %s" % (n, error))
            continue
        order = orders.get(row["number"])
        if order is None:
            order = orders[row["number"]] = Order(row["number"], row["customer"], created)
        order.add_line(sku.code, quantity, price)
    return list(orders.values()), problems


def load_movements(path, ledger):
    """Replays movements from a JSON-lines journal; returns how many were applied."""
    applied = 0
    with open(path) as journal:
        for line in journal:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            data = json.loads(line)
            kind = MovementKind(data["kind"])
            when = datetime.datetime.fromisoformat(data["when"])
            movement = Movement(kind, data["sku"], int(data["quantity"]), data["location"], when,
                                data.get("reference", ""), data.get("lot", ""))
            ledger.record(movement)
            applied += 1
    return applied


def save_movements(path, ledger):
    tmp = path + ".tmp"
    with open(tmp, "w") as journal:
        for m in ledger.movements:
            journal.write(json.dumps({"kind": m.kind.value, "sku": m.sku, "quantity": m.quantity,
                                      "location": m.location, "when": m.when.isoformat(),
                                      "reference": m.reference, "lot": m.lot_number}) + "\n")
    os.replace(tmp, path)


class CycleCount:
    """Plans stock counts so that A items are counted monthly, B quarterly and C yearly."""

    FREQUENCY_DAYS = {"A": 30, "B": 91, "C": 365}

    def __init__(self, classes, last_counted=None):
        self.classes = classes
        self.last_counted = dict(last_counted or {})

    def due(self, today):
        due = []
        for sku, cls in sorted(self.classes.items()):
            last = self.last_counted.get(sku)
            if last is None or (today - last).days >= self.FREQUENCY_DAYS[cls]:
                due.append(sku)
        return due

    def record(self, sku, today):
        self.last_counted[sku] = today

    def schedule(self, today, per_day):
        plan = {}
        for offset, batch in enumerate(chunked(self.due(today), per_day)):
            plan[today + datetime.timedelta(days=offset)] = batch
        return plan


def kpis(ledger, orders, today):
    shipped = [o for o in orders if o.state is OrderState.SHIPPED]
    late = [o for o in orders if o.is_late(today)]
    lines = sum(len(o.lines) for o in orders)
    complete = sum(1 for o in orders for l in o.lines if l.is_fully_allocated())
    return {
        "orders": len(orders),
        "shipped": len(shipped),
        "late": len(late),
        "fill_rate": round(complete / lines, 3) if lines else None,
        "stock_weight_kg": round(ledger.total_weight(), 1),
        "movements": len(ledger.movements),
    }


def format_kpis(values):
    out = []
    for key in sorted(values):
        value = values[key]
        if value is None:
            value = "n/a"
        elif isinstance(value, float):
            value = "%.3f" % value
        out.append("%-16s %s" % (key, value))
    return "\n".join(out)


def legacy_export(ledger, stream=sys.stdout):
    # The old ERP wants fixed-width records; kept for the nightly job.
    for row in ledger.stock_table():
        stream.write("%-14s%-10s%08d\n" % (row["sku"], row["location"], row["quantity"]))


def merge_duplicate_lines(order):
    merged = collections.OrderedDict()
    for line in order.lines:
        key = (line.sku, line.unit_price, line.discount)
        if key in merged:
            merged[key].quantity += line.quantity
        else:
            merged[key] = line
    order.lines = list(merged.values())
    return order


def validate_order(order, catalogue, ledger):
    problems = []
    if not order.lines:
        problems.append("no lines")
    for line in order.lines:
        if line.sku not in catalogue:
            problems.append("unknown SKU %s" % line.sku)
            continue
        if line.quantity > ledger.level(line.sku) * 10:
            problems.append("%s: quantity %d is implausible" % (line.sku, line.quantity))
        if line.unit_price <= 0:
            problems.append("%s: price must be positive" % line.sku)
    if order.weight(catalogue) > 20 * MAX_PALLET_WEIGHT_KG:
        problems.append("heavier than a truck")
    return problems


def sample_catalogue():
    rows = [
        "code,name,weight_kg,volume_l,vat,perishable,shelf_life_days,tags",
        "BOL-0001,Hex bolt M8x40,0.025,0.01,standard,no,,fasteners;steel",
        "BOL-0002,Hex bolt M10x60,0.045,0.02,standard,no,,fasteners;steel",
        "NUT-0001,Hex nut M8,0.005,0.002,standard,no,,fasteners;steel",
        "GLU-0001,Wood glue 1 l,1.1,1.0,standard,yes,365,adhesives",
        "PAI-0001,Primer white 5 l,6.5,5.0,standard,yes,720,paint",
        "PAI-0002,Enamel red 2.5 l,3.2,2.5,standard,yes,720,paint",
        "BOO-0001,Maintenance handbook,0.8,1.2,reduced,no,,books",
        "TOO-0001,Torque wrench 1/2,1.9,2.0,standard,no,,tools;steel",
    ]
    return Catalogue.from_csv("\n".join(rows) + "\n")


def demo(today=datetime.date(2023, 3, 1)):
    catalogue = sample_catalogue()
    ledger = Ledger(catalogue)
    start = datetime.datetime.combine(today, datetime.time(8, 0))
    for i, sku in enumerate(catalogue):
        location = "A%02d-%02d-%d" % (1 + i % 5, 1 + (i * 7) % 19, i % 4)
        expires = today + datetime.timedelta(days=sku.shelf_life_days) if sku.perishable else None
        ledger.receive(sku.code, 500 + 37 * i, location, start, lot_number="L%04d" % i, expires=expires)
    orders = []
    for n in range(12):
        order = Order("SO-%05d" % n, "customer-%d" % (n % 4), start + datetime.timedelta(hours=n),
                      ship_by=today + datetime.timedelta(days=n % 3))
        for sku in list(catalogue)[n % 3::3]:
            order.add_line(sku.code, 5 + n, "%.2f" % (1.5 + n * 0.25))
        order.move_to(OrderState.CONFIRMED)
        orders.append(order)
    book = PriceBook([VolumeDiscount({10: 0.02, 15: 0.05}), LoyalCustomer(["customer-1"]),
                      FamilyPromotion("PAI", 0.1, today, today + datetime.timedelta(days=30))])
    for order in orders:
        book.price(order, catalogue)
    allocator = Allocator(ledger)
    shortages = allocator.allocate(orders, today)
    for order in orders:
        if order.state is OrderState.ALLOCATED:
            make_pick_list(order)
            confirm_picks(ledger, order, start + datetime.timedelta(hours=3))
    planner = ReplenishmentPlanner(ledger, DemandForecast())
    proposals = planner.plan([s.code for s in catalogue], today, 28)
    return {
        "stock": stock_report(ledger).as_text(),
        "orders": order_report(orders, catalogue).as_text(),
        "replenishment": replenishment_report(proposals).as_text(),
        "kpis": format_kpis(kpis(ledger, orders, today)),
        "shortages": shortages,
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    result = demo()
    if argv and argv[0] == "--json":
        print(json.dumps(result, indent=2, default=str))
        return 0
    for key in ("stock", "orders", "replenishment", "kpis"):
        print(result[key])
        print()
    if result["shortages"]:
        print("short: " + ", ".join(result["shortages"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
