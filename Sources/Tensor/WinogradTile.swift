/// The two Winograd tile sizes for 3×3 convolutions, F(m×m, 3×3): each m×m block of outputs comes
/// from an α×α input patch (α = m + 2) as Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, so a convolution is α²
/// GEMMs over ⌈H/m⌉·⌈W/m⌉ tiles.
///
/// F(2×2, 3×3) (Lavin & Gray 2016, interpolation points 0, ±1, ∞) multiplies 16 values per 4
/// outputs; F(4×4, 3×3) (points 0, ±1, ±2, ∞) 36 per 16, 1.78× fewer, with larger transform
/// constants and so a little more rounding (the tests bound both against im2col). Which one a
/// convolution uses depends on its map size only (`best`), never on the machine or thread count.
///
/// Every transform here is separable: a 1-D transform along one axis of the patch, then along the
/// other. The 1-D transforms run over channel vectors (contiguous in NHWC), each output written
/// once from locals, so the loops vectorise.
public enum WinogradTile: Int, Sendable, CaseIterable {
    /// F(2×2, 3×3).
    case two = 2
    /// F(4×4, 3×3).
    case four = 4

    /// Outputs per tile side, m.
    var outputs: Int { rawValue }
    /// Input patch side, α = m + 2.
    var patch: Int { rawValue + 2 }
    /// Transformed positions per tile, α².
    var positions: Int { patch * patch }

    /// Tiles of one H × W map: ⌈H/m⌉ × ⌈W/m⌉.
    func tiles(height: Int, width: Int) -> Int { tileRows(height) * tileColumns(width) }
    func tileRows(_ height: Int) -> Int { (height + outputs - 1) / outputs }
    func tileColumns(_ width: Int) -> Int { (width + outputs - 1) / outputs }

    /// The tile with the fewer GEMM multiplications for an H × W map (tiles × α², the
    /// transforms' cost grows with it); F(2×2) on a tie. Small maps waste F(4×4)'s edge tiles.
    static func best(height: Int, width: Int) -> WinogradTile {
        let four = WinogradTile.four, two = WinogradTile.two
        return four.tiles(height: height, width: width) * four.positions < two.tiles(height: height, width: width) * two.positions ? four : two
    }

    /// G g along one axis: 3 filter-tap vectors → α vectors.
    func transformFilter(_ g: UnsafePointer<UnsafePointer<Float>>, _ o: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int) {
        switch self {
        case .two:
            // G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].
            let (g0, g1, g2) = (g[0], g[1], g[2]), (o0, o1, o2, o3) = (o[0], o[1], o[2], o[3])
            for i in 0..<count {
                let (a0, a1, a2) = (g0[i], g1[i], g2[i])
                o0[i] = a0; o1[i] = 0.5 * (a0 + a1 + a2); o2[i] = 0.5 * (a0 - a1 + a2); o3[i] = a2
            }
        case .four:
            // G = [[¼, 0, 0], [−⅙, −⅙, −⅙], [−⅙, ⅙, −⅙], [1/24, 1/12, ⅙], [1/24, −1/12, ⅙], [0, 0, 1]].
            let (g0, g1, g2) = (g[0], g[1], g[2]), (o0, o1, o2, o3, o4, o5) = (o[0], o[1], o[2], o[3], o[4], o[5])
            let (sixth, twelfth, twentyFourth): (Float, Float, Float) = (1.0 / 6, 1.0 / 12, 1.0 / 24)
            for i in 0..<count {
                let (a0, a1, a2) = (g0[i], g1[i], g2[i])
                let outer = a0 + a2, quarterOuter = twentyFourth * a0 + sixth * a2
                o0[i] = 0.25 * a0
                o1[i] = -sixth * (outer + a1)
                o2[i] = -sixth * (outer - a1)
                o3[i] = quarterOuter + twelfth * a1
                o4[i] = quarterOuter - twelfth * a1
                o5[i] = a2
            }
        }
    }

    /// Gᵀ u along one axis (the adjoint of `transformFilter`): α vectors → 3 filter-tap vectors.
    func transformFilterGradient(_ u: UnsafePointer<UnsafePointer<Float>>, _ o: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int) {
        switch self {
        case .two:
            // Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]].
            let (u0, u1, u2, u3) = (u[0], u[1], u[2], u[3]), (o0, o1, o2) = (o[0], o[1], o[2])
            for i in 0..<count {
                let (a0, a1, a2, a3) = (u0[i], u1[i], u2[i], u3[i])
                let half = 0.5 * (a1 + a2)
                o0[i] = a0 + half; o1[i] = 0.5 * (a1 - a2); o2[i] = half + a3
            }
        case .four:
            // Gᵀ = [[¼, −⅙, −⅙, 1/24, 1/24, 0], [0, −⅙, ⅙, 1/12, −1/12, 0], [0, −⅙, −⅙, ⅙, ⅙, 1]].
            let (u0, u1, u2, u3, u4, u5) = (u[0], u[1], u[2], u[3], u[4], u[5]), (o0, o1, o2) = (o[0], o[1], o[2])
            let (sixth, twelfth, twentyFourth): (Float, Float, Float) = (1.0 / 6, 1.0 / 12, 1.0 / 24)
            for i in 0..<count {
                let (a0, a1, a2, a3, a4, a5) = (u0[i], u1[i], u2[i], u3[i], u4[i], u5[i])
                let sum12 = a1 + a2, sum34 = a3 + a4
                o0[i] = 0.25 * a0 - sixth * sum12 + twentyFourth * sum34
                o1[i] = sixth * (a2 - a1) + twelfth * (a3 - a4)
                o2[i] = sixth * (sum34 - sum12) + a5
            }
        }
    }

    /// Bᵀ d along one axis: α input vectors → α transformed vectors of `count` channels.
    func transformInput(_ d: UnsafePointer<UnsafePointer<Float>>, _ o: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int) {
        switch self {
        case .two:
            // Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].
            let (d0, d1, d2, d3) = (d[0], d[1], d[2], d[3]), (o0, o1, o2, o3) = (o[0], o[1], o[2], o[3])
            for i in 0..<count {
                let (a0, a1, a2, a3) = (d0[i], d1[i], d2[i], d3[i])
                o0[i] = a0 - a2; o1[i] = a1 + a2; o2[i] = a2 - a1; o3[i] = a1 - a3
            }
        case .four:
            // Bᵀ = [[4, 0, −5, 0, 1, 0], [0, −4, −4, 1, 1, 0], [0, 4, −4, −1, 1, 0],
            //       [0, −2, −1, 2, 1, 0], [0, 2, −1, −2, 1, 0], [0, 4, 0, −5, 0, 1]].
            let (d0, d1, d2, d3, d4, d5) = (d[0], d[1], d[2], d[3], d[4], d[5])
            let (o0, o1, o2, o3, o4, o5) = (o[0], o[1], o[2], o[3], o[4], o[5])
            for i in 0..<count {
                let (a0, a1, a2, a3, a4, a5) = (d0[i], d1[i], d2[i], d3[i], d4[i], d5[i])
                let p = a3 - 4 * a1, q = a4 - 4 * a2, r = a3 - a1, s = a4 - a2
                o0[i] = 4 * a0 - 5 * a2 + a4
                o1[i] = p + q
                o2[i] = q - p
                o3[i] = s + 2 * r
                o4[i] = s - 2 * r
                o5[i] = 4 * a1 - 5 * a3 + a5
            }
        }
    }

    /// Aᵀ m along one axis: α product vectors → m output vectors.
    func transformOutput(_ m: UnsafePointer<UnsafePointer<Float>>, _ o: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int) {
        switch self {
        case .two:
            // Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]].
            let (m0, m1, m2, m3) = (m[0], m[1], m[2], m[3]), (o0, o1) = (o[0], o[1])
            for i in 0..<count {
                let (a0, a1, a2, a3) = (m0[i], m1[i], m2[i], m3[i])
                o0[i] = a0 + a1 + a2; o1[i] = a1 - a2 - a3
            }
        case .four:
            // Aᵀ = [[1, 1, 1, 1, 1, 0], [0, 1, −1, 2, −2, 0], [0, 1, 1, 4, 4, 0], [0, 1, −1, 8, −8, 1]].
            let (m0, m1, m2, m3, m4, m5) = (m[0], m[1], m[2], m[3], m[4], m[5]), (o0, o1, o2, o3) = (o[0], o[1], o[2], o[3])
            for i in 0..<count {
                let (a0, a1, a2, a3, a4, a5) = (m0[i], m1[i], m2[i], m3[i], m4[i], m5[i])
                let sum12 = a1 + a2, difference12 = a1 - a2, sum34 = a3 + a4, difference34 = a3 - a4
                o0[i] = a0 + sum12 + sum34
                o1[i] = difference12 + 2 * difference34
                o2[i] = sum12 + 4 * sum34
                o3[i] = difference12 + 8 * difference34 + a5
            }
        }
    }

    /// A dy along one axis (the adjoint of `transformOutput`): m gradient vectors → α vectors.
    func transformGradient(_ d: UnsafePointer<UnsafePointer<Float>>, _ o: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int) {
        switch self {
        case .two:
            // A = [[1, 0], [1, 1], [1, −1], [0, −1]].
            let (d0, d1) = (d[0], d[1]), (o0, o1, o2, o3) = (o[0], o[1], o[2], o[3])
            for i in 0..<count {
                let (a0, a1) = (d0[i], d1[i])
                o0[i] = a0; o1[i] = a0 + a1; o2[i] = a0 - a1; o3[i] = -a1
            }
        case .four:
            // A = [[1, 0, 0, 0], [1, 1, 1, 1], [1, −1, 1, −1], [1, 2, 4, 8], [1, −2, 4, −8], [0, 0, 0, 1]].
            let (d0, d1, d2, d3) = (d[0], d[1], d[2], d[3])
            let (o0, o1, o2, o3, o4, o5) = (o[0], o[1], o[2], o[3], o[4], o[5])
            for i in 0..<count {
                let (a0, a1, a2, a3) = (d0[i], d1[i], d2[i], d3[i])
                let even = a0 + a2, odd = a1 + a3, evenFour = a0 + 4 * a2, oddFour = a1 + 4 * a3
                o0[i] = a0
                o1[i] = even + odd
                o2[i] = even - odd
                o3[i] = evenFour + 2 * oddFour
                o4[i] = evenFour - 2 * oddFour
                o5[i] = a3
            }
        }
    }
}
