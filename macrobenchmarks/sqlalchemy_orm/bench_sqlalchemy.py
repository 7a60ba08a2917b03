"""SQLAlchemy 1.4 ORM on an in-memory SQLite database: a small order system (customers, products, orders, order
lines) with declarative models, relationships, unit-of-work flushes, eager and lazy loading, joins and
aggregates. Each iteration starts from a fresh schema, inserts `size` orders in batches, reads them back
through the ORM in several ways, updates and deletes some. Checked by recomputing every aggregate in Python."""
import datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, String, create_engine, func, select
from sqlalchemy.orm import Session, declarative_base, relationship, selectinload

DEFAULT_SIZE = 200  # orders per iteration

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    city = Column(String(40), nullable=False, index=True)
    orders = relationship("Order", back_populates="customer", cascade="all, delete-orphan")


class Product(Base):
    __tablename__ = "product"
    id = Column(Integer, primary_key=True)
    sku = Column(String(20), unique=True, nullable=False)
    price_cents = Column(Integer, nullable=False)


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"), nullable=False, index=True)
    placed = Column(Date, nullable=False)
    status = Column(String(12), nullable=False, default="new")
    customer = relationship("Customer", back_populates="orders")
    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan")


class OrderLine(Base):
    __tablename__ = "order_line"
    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    product_id = Column(ForeignKey("product.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    order = relationship("Order", back_populates="lines")
    product = relationship("Product")


CITIES = ["Lyon", "Porto", "Graz", "Turku", "Ghent", "Bergen", "Brno", "Cork"]


def populate(session, size):
    customers = [Customer(name="customer %d" % i, city=CITIES[i % len(CITIES)]) for i in range(size // 8 + 1)]
    products = [Product(sku="SKU-%04d" % i, price_cents=199 + (i * 379) % 9000) for i in range(60)]
    session.add_all(customers + products)
    session.flush()
    start = datetime.date(2022, 1, 1)
    for n in range(size):
        order = Order(customer=customers[(n * 7) % len(customers)], placed=start + datetime.timedelta(days=n % 365))
        for k in range(1 + n % 5):
            order.lines.append(OrderLine(product=products[(n * 13 + k * 7) % len(products)], quantity=1 + (n + k) % 9))
        session.add(order)
        if n % 100 == 99:
            session.flush()
    session.commit()


def read_back(session):
    revenue_by_city = dict(session.execute(
        select(Customer.city, func.sum(OrderLine.quantity * Product.price_cents))
        .join(Order, Order.customer_id == Customer.id).join(OrderLine, OrderLine.order_id == Order.id)
        .join(Product, Product.id == OrderLine.product_id).group_by(Customer.city)).all())
    # The same through objects: eager loading of the whole graph.
    python_revenue = {}
    orders = session.execute(select(Order).options(selectinload(Order.lines).selectinload(OrderLine.product),
                                                   selectinload(Order.customer))).scalars().all()
    for order in orders:
        total = sum(line.quantity * line.product.price_cents for line in order.lines)
        python_revenue[order.customer.city] = python_revenue.get(order.customer.city, 0) + total
    # Lazy loading, one customer at a time, as a naive view would do.
    busiest = max(session.execute(select(Customer)).scalars(), key=lambda c: (len(c.orders), -c.id))
    return revenue_by_city, python_revenue, len(orders), busiest.name


def modify(session):
    cutoff = datetime.date(2022, 3, 1)
    old = session.execute(select(Order).where(Order.placed < cutoff)).scalars().all()
    for order in old:
        order.status = "archived"
    doomed = session.execute(select(Order).where(Order.placed >= datetime.date(2022, 12, 1))).scalars().all()
    for order in doomed:
        session.delete(order)
    session.commit()
    archived = session.scalar(select(func.count()).select_from(Order).where(Order.status == "archived"))
    remaining_lines = session.scalar(select(func.count()).select_from(OrderLine))
    return len(old), archived, len(doomed), remaining_lines


def run(size):
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        populate(session, size)
        read = read_back(session)
        changed = modify(session)
    engine.dispose()
    return read, changed


def check(result, size):
    (sql_revenue, python_revenue, order_count, busiest), (old, archived, deleted, remaining_lines) = result
    if order_count != size:
        raise AssertionError("read %d orders back, wrote %d" % (order_count, size))
    if set(sql_revenue) != set(python_revenue):
        raise AssertionError("cities differ between SQL and the object graph")
    for city, amount in sql_revenue.items():
        if amount != python_revenue[city]:
            raise AssertionError("revenue of %s: SQL %s, objects %s" % (city, amount, python_revenue[city]))
    expected_old = sum(1 for n in range(size) if n % 365 < 59)
    expected_deleted = sum(1 for n in range(size) if n % 365 >= 334)
    expected_lines = sum(1 + n % 5 for n in range(size) if n % 365 < 334)
    if (old, archived, deleted, remaining_lines) != (expected_old, expected_old, expected_deleted, expected_lines):
        raise AssertionError("updates/deletes went wrong: %r" % ((old, archived, deleted, remaining_lines),))
    if not busiest.startswith("customer "):
        raise AssertionError("bad busiest customer %r" % busiest)
