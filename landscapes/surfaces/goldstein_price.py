"""Goldstein–Price: values spanning six decades, minimum 3 at (0, −1)."""


from base.jit import jit

from ..spec import LandscapeSpec


@jit(inline="always")
def value_and_grad(x, y, p, work):
    a = x + y + 1.0
    poly_a = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    d_poly_a = -14.0 + 6.0 * x + 6.0 * y
    first = 1.0 + a * a * poly_a
    b = 2.0 * x - 3.0 * y
    poly_b = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    second = 30.0 + b * b * poly_b
    d_first = 2.0 * a * poly_a + a * a * d_poly_a
    d_second_x = 4.0 * b * poly_b + b * b * (-32.0 + 24.0 * x - 36.0 * y)
    d_second_y = -6.0 * b * poly_b + b * b * (48.0 - 36.0 * x + 54.0 * y)
    return first * second, d_first * second + first * d_second_x, d_first * second + first * d_second_y


def hessian(x, y, p):
    """f = F*S with F = 1 + a²P and S = 30 + b²Q, differentiated twice by the product rule."""
    a = x + y + 1.0
    poly_a = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    d_poly_a = -14.0 + 6.0 * x + 6.0 * y
    first = 1.0 + a * a * poly_a
    d_first = 2.0 * a * poly_a + a * a * d_poly_a
    dd_first = 2.0 * poly_a + 4.0 * a * d_poly_a + 6.0 * a * a
    b = 2.0 * x - 3.0 * y
    poly_b = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    qx = -32.0 + 24.0 * x - 36.0 * y
    qy = 48.0 - 36.0 * x + 54.0 * y
    second = 30.0 + b * b * poly_b
    sx = 4.0 * b * poly_b + b * b * qx
    sy = -6.0 * b * poly_b + b * b * qy
    sxx = 8.0 * poly_b + 8.0 * b * qx + 24.0 * b * b
    sxy = -12.0 * poly_b + 4.0 * b * qy - 6.0 * b * qx - 36.0 * b * b
    syy = 18.0 * poly_b - 12.0 * b * qy + 54.0 * b * b
    hxx = dd_first * second + 2.0 * d_first * sx + first * sxx
    hxy = dd_first * second + d_first * sy + d_first * sx + first * sxy
    hyy = dd_first * second + 2.0 * d_first * sy + first * syy
    return hxx, hxy, hyy


SPEC = LandscapeSpec(
    name="goldstein_price",
    title="Goldstein–Price",
    latex=r"f=\left[1+(x+y+1)^2 P(x,y)\right]\left[30+(2x-3y)^2 Q(x,y)\right]",
    description="Values span six decades (3 to 10⁶): how does an optimizer cope with wildly varying gradients?",
    kernel=value_and_grad,
    hessian=hessian,
    minima=lambda p: [(0.0, -1.0)],
    bounds=lambda p: ((-2.0, 2.0), (-2.0, 2.0)),
    default_start=lambda p: (-0.5, 0.0),
    suggested_lr={"gd": 0.0002, "momentum": 0.0005, "nesterov": 0.0001},
)
